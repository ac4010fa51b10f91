import type { Db } from '../../db/prisma.ts';
import { badRequest } from '../../lib/errors.ts';

/** The member `userId` of the workspace (for assignments), or 400 naming the field that was wrong. */
export async function findMember(db: Db, workspaceId: string, userId: string, field: string) {
  const membership = await db.membership.findUnique({
    where: { workspaceId_userId: { workspaceId, userId } },
    select: { role: true, user: { select: { id: true, name: true } } },
  });
  if (!membership) throw badRequest(`\`${field}\` is not a member of this workspace.`, 'not_a_member');
  return { id: membership.user.id, name: membership.user.name, role: membership.role };
}

/** Still a member? Stored references (a task's creator, a campaign's owner) can outlive a membership. */
export async function isMember(db: Db, workspaceId: string, userId: string) {
  const membership = await db.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } }, select: { userId: true } });
  return membership !== null;
}
