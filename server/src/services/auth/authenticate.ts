import type { Db } from '../../db/prisma.ts';
import { hashToken } from '../../lib/tokens.ts';
import type { AuthContext } from './auth-context.ts';

/** Resolves a bearer token to its live session, or null when unknown, expired or revoked. */
export async function authenticateToken(db: Db, token: string): Promise<AuthContext | null> {
  const session = await db.session.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      id: true,
      workspaceId: true,
      expiresAt: true,
      revokedAt: true,
      user: { select: { id: true, email: true, name: true, isSuperAdmin: true } },
    },
  });
  if (!session || session.revokedAt || session.expiresAt <= new Date()) return null;
  const membership = session.workspaceId
    ? await db.membership.findUnique({
        where: { workspaceId_userId: { workspaceId: session.workspaceId, userId: session.user.id } },
        select: { role: true },
      })
    : null;
  return {
    sessionId: session.id,
    user: session.user,
    // A membership removed since login no longer grants its workspace.
    workspaceId: membership ? session.workspaceId : null,
    role: membership?.role ?? null,
  };
}

/** Still valid? Used by long-lived connections (the stream) to notice revocation. */
export async function isSessionActive(db: Db, sessionId: string): Promise<boolean> {
  const session = await db.session.findUnique({ where: { id: sessionId }, select: { expiresAt: true, revokedAt: true } });
  return Boolean(session && !session.revokedAt && session.expiresAt > new Date());
}

export async function revokeSession(db: Db, sessionId: string): Promise<void> {
  await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}
