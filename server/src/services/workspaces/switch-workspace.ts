import type { Db } from '../../db/prisma.ts';
import { notFound } from '../../lib/errors.ts';
import type { AuthContext } from '../../domain/auth-context.ts';

/** Switches the session to another of the caller's own workspaces. */
export async function switchWorkspace(db: Db, auth: AuthContext, workspaceId: string): Promise<AuthContext> {
  const membership = await db.membership.findUnique({
    where: { workspaceId_userId: { workspaceId, userId: auth.user.id } },
    select: { role: true },
  });
  if (!membership) throw notFound('You are not a member of that workspace.');
  await db.session.update({ where: { id: auth.sessionId }, data: { workspaceId } });
  return { ...auth, workspaceId, role: membership.role };
}
