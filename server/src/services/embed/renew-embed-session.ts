import type { Db } from '../../db/prisma.ts';
import { EMBED_SCOPE, EMBED_SESSION_MINUTES } from '../../domain/embed-signature.ts';
import { AppError } from '../../lib/errors.ts';
import { hashToken, newToken } from '../../lib/tokens.ts';

const cannotRenew = () => new AppError(401, 'session_not_renewable', 'This bell session has ended or was renewed already; the host page must sign again.');

/**
 * A live bell session exchanged for a fresh one while the host page stays open, so the page
 * need not sign again every hour. The user must still be a member of the workspace (and a new
 * embed secret has ended every session of the old one). One statement ends the old session and
 * opens the new one: of any number of renewals of the same session at once, exactly one
 * succeeds (the others wait for its row lock, then find it ended). A stream open on the old
 * session is closed by the stream's sweep and reconnects with the new one.
 */
export async function renewEmbedSession(db: Db, request: { sessionId: string; ip: string; userAgent?: string }, now = new Date()) {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + EMBED_SESSION_MINUTES * 60_000);
  const [renewed] = await db.$queryRaw<{ user_id: string; name: string }[]>`
    WITH old AS (
      UPDATE sessions s SET revoked_at = ${now}
        FROM memberships m
       WHERE s.id = ${request.sessionId}::uuid AND s.scope = ${EMBED_SCOPE} AND s.revoked_at IS NULL
         AND s.expires_at > ${now}
         AND m.workspace_id = s.workspace_id AND m.user_id = s.user_id
      RETURNING s.user_id, s.workspace_id),
    opened AS (
      INSERT INTO sessions (user_id, token_hash, workspace_id, expires_at, scope, ip, user_agent)
      SELECT old.user_id, ${hashToken(token)}, old.workspace_id, ${expiresAt}, ${EMBED_SCOPE}, ${request.ip}, ${request.userAgent?.slice(0, 500) ?? null}
        FROM old
      RETURNING user_id)
    SELECT u.id AS user_id, u.name FROM opened JOIN users u ON u.id = opened.user_id`;
  if (!renewed) throw cannotRenew();
  return { token, expires_at: expiresAt.toISOString(), user: { id: renewed.user_id, name: renewed.name } };
}
