import { type Db, inTransaction } from '../../db/prisma.ts';
import type { Role } from '../../domain/types.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { forgetInboxOf, lastAdmin, lockMembership } from './member-guards.ts';

/** An admin changes a member's role (critical activity); the last admin cannot be demoted. */
export function changeMemberRole(db: Db, options: { actor: Actor; userId: string; role: Role }) {
  const { actor, role } = options;
  return inTransaction(db, async (tx) => {
    const member = await lockMembership(tx, actor.workspaceId, options.userId);
    if (member.role !== role) {
      if (member.isLastAdmin) throw lastAdmin();
      await tx.membership.update({
        where: { workspaceId_userId: { workspaceId: actor.workspaceId, userId: member.user.id } },
        data: { role },
      });
      if (member.role === 'admin') await forgetInboxOf(tx, actor.workspaceId, member.user.id, 'workspace-level');
      await recordActivity(tx, {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        type: 'member.role_changed',
        entity: { type: 'user', id: member.user.id },
        summary: `${actor.name} changed ${member.user.name}'s role: ${member.role} → ${role}`,
        meta: { user_id: member.user.id, name: member.user.name, from: member.role, to: role },
        severity: 'critical',
      });
    }
    return { user_id: member.user.id, name: member.user.name, role };
  });
}
