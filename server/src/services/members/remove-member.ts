import { type Db, inTransaction } from '../../db/prisma.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { forgetInboxOf, lastAdmin, lockMembership } from './member-guards.ts';

/**
 * An admin removes someone from the workspace (critical activity): their inbox entries of
 * the workspace go (from their stream log too), and the leads they owned become unowned so
 * replies reach the admins.
 */
export function removeMember(db: Db, options: { actor: Actor; userId: string }) {
  const { actor } = options;
  return inTransaction(db, async (tx) => {
    const member = await lockMembership(tx, actor.workspaceId, options.userId);
    if (member.isLastAdmin) throw lastAdmin();
    const userId = member.user.id;
    await tx.membership.delete({ where: { workspaceId_userId: { workspaceId: actor.workspaceId, userId } } });
    await forgetInboxOf(tx, actor.workspaceId, userId, 'everything');
    await tx.lead.updateMany({ where: { workspaceId: actor.workspaceId, ownerUserId: userId }, data: { ownerUserId: null } });
    await recordActivity(tx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      type: 'member.removed',
      entity: { type: 'user', id: userId },
      summary: `${actor.name} removed ${member.user.name} (${member.role}) from the workspace`,
      meta: { user_id: userId, name: member.user.name, role: member.role },
      severity: 'critical',
    });
  });
}
