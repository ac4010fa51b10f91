import type { Db } from '../db/prisma.ts';
import { unauthorized } from '../lib/errors.ts';
import { hashToken, newToken } from '../lib/tokens.ts';
import type { AuthContext } from '../domain/auth-context.ts';

/** Long enough to open an EventSource right after asking, short enough to be useless if leaked. */
export const STREAM_TICKET_TTL_SECONDS = 60;

/**
 * Issues a ticket that opens one stream for the caller's session. Browsers put it in the
 * URL (EventSource cannot send headers), so it is single-use and expires within a minute:
 * the long-lived bearer token never appears in a URL, a log line or the browser history.
 */
export async function issueStreamTicket(db: Db, auth: AuthContext) {
  const ticket = newToken();
  const expiresAt = new Date(Date.now() + STREAM_TICKET_TTL_SECONDS * 1000);
  await db.streamTicket.create({
    data: { tokenHash: hashToken(ticket), sessionId: auth.sessionId, userId: auth.user.id, expiresAt },
  });
  return { ticket, expires_at: expiresAt.toISOString() };
}

/**
 * Redeems a ticket: marks it used (atomically, so two instances cannot both accept it) and
 * resolves the session it was issued for, which must still be live. 401 otherwise.
 */
export async function redeemStreamTicket(db: Db, ticket: string): Promise<AuthContext> {
  const rejected = () =>
    unauthorized('The stream ticket is unknown, used or expired. Get a new one from POST /api/notifications/stream-ticket.');
  const tokenHash = hashToken(ticket);
  const now = new Date();
  const claimed = await db.streamTicket.updateMany({
    where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (claimed.count !== 1) throw rejected();
  const { session } = await db.streamTicket.findUniqueOrThrow({
    where: { tokenHash },
    select: {
      session: {
        select: {
          id: true,
          workspaceId: true,
          expiresAt: true,
          revokedAt: true,
          scope: true,
          user: { select: { id: true, email: true, name: true, isSuperAdmin: true } },
        },
      },
    },
  });
  if (session.revokedAt || session.expiresAt <= now) throw rejected();
  const membership = session.workspaceId
    ? await db.membership.findUnique({
        where: { workspaceId_userId: { workspaceId: session.workspaceId, userId: session.user.id } },
        select: { role: true },
      })
    : null;
  return {
    sessionId: session.id,
    user: session.user,
    workspaceId: membership ? session.workspaceId : null,
    role: membership?.role ?? null,
    scope: session.scope,
  };
}
