import type { Transporter } from 'nodemailer';
import type { PrismaClient } from '../../db/prisma.ts';
import { absoluteTargetUrl, notificationPageUrl } from '../../domain/links.ts';

export interface DigestOptions {
  transport: Pick<Transporter, 'sendMail'>;
  from: string;
  /** Base of the links in the mail. */
  publicUrl: string;
  /** A user's mail waits this long after their first pending notification, gathering the rest. */
  digestSeconds: number;
}

/**
 * Mails every user whose oldest pending notification has waited `digestSeconds`: one mail
 * with all their pending notifications. A user's rows are locked while their mail goes out
 * (other server instances skip them) and marked sent only if sending succeeded; a failure
 * leaves them pending for the next round. Returns the number of mails sent.
 */
export async function sendDueDigests(db: PrismaClient, options: DigestOptions): Promise<number> {
  await dropStaleEmails(db, options.digestSeconds);
  const cutoff = new Date(Date.now() - options.digestSeconds * 1000);
  // Stale rows are left out here too, not only dropped above: one queued meanwhile (or dated
  // back by a restore) must not ride along in the mail.
  const fresh = staleBefore(options.digestSeconds);
  const due = await db.$queryRaw<{ user_id: string }[]>`
    SELECT user_id FROM email_outbox WHERE sent_at IS NULL AND created_at >= ${fresh}
     GROUP BY user_id HAVING min(created_at) <= ${cutoff} LIMIT 100`;
  let sent = 0;
  for (const { user_id: userId } of due) {
    const mailed = await db.$transaction(
      async (tx) => {
        const locked = await tx.$queryRaw<{ id: string }[]>`
          SELECT id FROM email_outbox WHERE user_id = ${userId}::uuid AND sent_at IS NULL AND created_at >= ${fresh}
             FOR UPDATE SKIP LOCKED`;
        if (locked.length === 0) return false;
        const ids = locked.map((row) => row.id);
        const entries = await tx.emailOutbox.findMany({
          where: { id: { in: ids } },
          select: {
            user: { select: { email: true, name: true } },
            notification: {
              select: { id: true, title: true, body: true, targetUrl: true, workspace: { select: { name: true } } },
            },
          },
          orderBy: { createdAt: 'asc' },
        });
        const user = entries[0]!.user;
        await options.transport.sendMail({
          from: options.from,
          to: { name: user.name, address: user.email },
          ...digestMessage(
            entries.map((entry) => entry.notification),
            options.publicUrl,
          ),
        });
        await tx.emailOutbox.updateMany({ where: { id: { in: ids } }, data: { sentAt: new Date() } });
        return true;
      },
      { timeout: 60_000 },
    );
    if (mailed) sent += 1;
  }
  return sent;
}

/**
 * A mail is news or nothing: what waited far longer than a digest window (mail was off, the
 * mail server was down for days) is dropped rather than sent as a stale surprise.
 */
export async function dropStaleEmails(db: PrismaClient, digestSeconds: number) {
  const { count } = await db.emailOutbox.deleteMany({ where: { sentAt: null, createdAt: { lt: staleBefore(digestSeconds) } } });
  return count;
}

/** Pending mail queued before this is stale (see STALE_AFTER_MS). */
function staleBefore(digestSeconds: number): Date {
  return new Date(Date.now() - Math.max(STALE_AFTER_MS, 2 * digestSeconds * 1000));
}

/** Pending mail older than this (or two digest windows, if longer) is not sent. */
export const STALE_AFTER_MS = 6 * 3600 * 1000;

/** Pending mail of a server without SMTP would never go out: it is dropped, not kept forever. */
export async function discardPendingEmails(db: PrismaClient) {
  const { count } = await db.emailOutbox.deleteMany({ where: { sentAt: null } });
  return count;
}

interface DigestEntry {
  id: string;
  title: string;
  body: string;
  targetUrl: string | null;
  workspace: { name: string };
}

export function digestMessage(entries: DigestEntry[], publicUrl: string) {
  const subject = entries.length === 1 ? entries[0]!.title : `${entries.length} new notifications`;
  const lines = entries.map((entry) =>
    [`• ${entry.title} (${entry.workspace.name})`, entry.body && `  ${entry.body}`, `  ${linkOf(entry, publicUrl)}`]
      .filter(Boolean)
      .join('\n'),
  );
  const text = `${lines.join('\n\n')}\n\n—\nChoose which notifications are mailed to you in the app's notification settings.\n`;
  return { subject, text };
}

/** The host app's page when APP_BASE_URL makes the target absolute, else the notification in the web app. */
function linkOf(entry: DigestEntry, publicUrl: string) {
  const target = absoluteTargetUrl(entry.targetUrl);
  return target && /^https?:/.test(target) ? target : notificationPageUrl(publicUrl, entry.id);
}
