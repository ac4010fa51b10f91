import { SMTPServer } from 'smtp-server';
import { freePort } from './global-setup.ts';

export interface Mail {
  to: string[];
  raw: string;
}

/** A real SMTP server in this process: the app mails it through nodemailer like any other. */
export async function startSmtp(mails: Mail[]) {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, port };
}

/** The mail's text, decoded from quoted-printable (nodemailer's choice for mostly-ASCII text), with \n line ends. */
export function textOf(raw: string) {
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4).replace(/=\r\n/g, '');
  return Buffer.from(
    body.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  )
    .toString('utf8')
    .replaceAll('\r\n', '\n');
}

export const header = (raw: string, name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(raw)?.[1];

/** Waits until `mails` holds `count` mails (up to 10 s) and returns them. */
export async function waitForMails(mails: Mail[], count: number) {
  const deadline = Date.now() + 10_000;
  while (mails.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (mails.length !== count) throw new Error(`expected ${count} mails, got ${mails.length}`);
  return mails;
}
