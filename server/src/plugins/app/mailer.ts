import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import nodemailer from 'nodemailer';
import type { Config } from '../../config.ts';
import { discardPendingEmails, sendDueDigests } from '../../services/email/send-digests.ts';

/** How often the outbox is looked at: a few times per digest window, within bounds. */
const pollInterval = (digestSeconds: number) => Math.min(15_000, Math.max(200, digestSeconds * 250));
const DISCARD_INTERVAL_MS = 10 * 60_000;

/**
 * The email channel: with SMTP_URL, mails the outbox as digests in the background; without,
 * says once that email is off and keeps dropping what notifications queued for it.
 */
export default fp(
  async function mailer(fastify: FastifyInstance, { config }: { config: Config }) {
    let timer: NodeJS.Timeout;
    // One round at a time; closing waits for the current one so it never meets a closed pool.
    let round: Promise<unknown> | undefined;
    const every = (ms: number, work: () => Promise<unknown>) =>
      setInterval(() => {
        round ??= work()
          .catch((error) => fastify.log.error({ err: error }, 'email channel: round failed; pending mail is kept'))
          .finally(() => (round = undefined));
      }, ms).unref();

    if (!config.smtpUrl) {
      fastify.log.info('email channel is off: SMTP_URL is not set');
      timer = every(DISCARD_INTERVAL_MS, () => discardPendingEmails(fastify.db));
    } else {
      const transport = nodemailer.createTransport(config.smtpUrl);
      const options = { transport, from: config.emailFrom, publicUrl: config.publicUrl, digestSeconds: config.emailDigestSeconds };
      timer = every(pollInterval(config.emailDigestSeconds), () => sendDueDigests(fastify.db, options));
      fastify.addHook('onClose', async () => transport.close());
    }
    fastify.addHook('onClose', async () => {
      clearInterval(timer);
      await round;
    });
  },
  { name: 'mailer', dependencies: ['db'] },
);
