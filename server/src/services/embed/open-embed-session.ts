import type { Db } from '../../db/prisma.ts';
import {
  EMBED_SCOPE,
  EMBED_SESSION_MINUTES,
  EMBED_SIGNATURE_MAX_AGE_SECONDS,
  signatureMatches,
  signEmbedUser,
} from '../../domain/embed-signature.ts';
import { AppError, conflict } from '../../lib/errors.ts';
import { hashToken, newToken } from '../../lib/tokens.ts';

export interface EmbedSessionRequest {
  workspaceId: string;
  userId: string;
  /** Unix seconds when the host backend signed. */
  timestamp: number;
  signature: string;
  ip: string;
  userAgent?: string;
}

/** One answer for every failure: nothing tells a prober which workspaces or users exist. */
const refused = () =>
  new AppError(401, 'invalid_signature', 'The signature does not match this workspace and user, or it has expired.');

/** Only someone holding a valid signature learns this, so it may say what happened. */
const alreadyUsed = () =>
  conflict('This signature has already been used: each opens one session, so the host page must sign again.', 'signature_used');

/**
 * Exchanges a host app's signature of a user id for a short-lived session limited to the
 * inbox (the embedded bell's). The user must be a member of the workspace. A signature opens
 * one session: a copy of it (from a log, a proxy, the page) opens nothing.
 */
export async function openEmbedSession(db: Db, request: EmbedSessionRequest, now = new Date()) {
  if (Math.abs(now.getTime() / 1000 - request.timestamp) > EMBED_SIGNATURE_MAX_AGE_SECONDS) throw refused();
  const [row] = await db.$queryRaw<{ embed_secret: string | null; member: boolean; name: string | null }[]>`
    SELECT w.embed_secret, m.user_id IS NOT NULL AS member, u.name
      FROM workspaces w
      LEFT JOIN memberships m ON m.workspace_id = w.id AND m.user_id = ${request.userId}::uuid
      LEFT JOIN users u ON u.id = m.user_id
     WHERE w.id = ${request.workspaceId}::uuid`;
  // Compare even when something is missing, so timing does not tell which part was wrong.
  const expected = signEmbedUser(row?.embed_secret ?? 'no secret', request.workspaceId, request.userId, request.timestamp);
  const matches = signatureMatches(expected, request.signature);
  if (!row?.embed_secret || !row.member || !matches) throw refused();
  const token = newToken();
  const expiresAt = new Date(now.getTime() + EMBED_SESSION_MINUTES * 60_000);
  // Remembered while the signature could still be accepted at all.
  const signatureExpiresAt = new Date((request.timestamp + EMBED_SIGNATURE_MAX_AGE_SECONDS) * 1000);
  // One statement claims the signature and opens the session: of any number of requests that
  // bring the same signature at once, exactly one gets a session.
  const [opened] = await db.$queryRaw<{ id: string }[]>`
    WITH claimed AS (
      INSERT INTO embed_signature_uses (signature_hash, expires_at)
      VALUES (${hashToken(request.signature)}, ${signatureExpiresAt})
      ON CONFLICT (signature_hash) DO NOTHING
      RETURNING signature_hash)
    INSERT INTO sessions (user_id, token_hash, workspace_id, expires_at, scope, ip, user_agent)
    SELECT ${request.userId}::uuid, ${hashToken(token)}, ${request.workspaceId}::uuid, ${expiresAt}, ${EMBED_SCOPE},
           ${request.ip}, ${request.userAgent?.slice(0, 500) ?? null}
      FROM claimed
    RETURNING id`;
  if (!opened) throw alreadyUsed();
  return { token, expires_at: expiresAt.toISOString(), user: { id: request.userId, name: row.name! } };
}
