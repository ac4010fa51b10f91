import { type Db, inTransaction } from '../../db/prisma.ts';
import { taskCompleted } from '../../domain/notifications.ts';
import { conflict, forbidden, notFound } from '../../lib/errors.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { createNotification } from '../notifications/create-notification.ts';
import { isMember } from '../workspaces/find-member.ts';
import { taskSelect, toTaskItem } from './task-item.ts';

/**
 * The assignee, the creator or an admin completes a task; the creator is notified unless
 * they completed it themselves.
 */
export function completeTask(db: Db, options: { actor: Actor; taskId: string }) {
  const { actor } = options;
  return inTransaction(db, async (tx) => {
    const task = await tx.task.findFirst({
      where: { id: options.taskId, workspaceId: actor.workspaceId },
      select: { ...taskSelect, lead: { select: { name: true } } },
    });
    if (!task) throw notFound('No such task in this workspace.');
    if (actor.role !== 'admin' && actor.userId !== task.assigneeUserId && actor.userId !== task.creatorUserId) {
      throw forbidden('Only the assignee, the creator or an admin can complete this task.');
    }
    // The condition makes a concurrent second completion a no-op instead of a second notification.
    const { count } = await tx.task.updateMany({
      where: { id: task.id, completedAt: null },
      data: { completedAt: new Date() },
    });
    if (count === 0) throw conflict('This task is already completed.', 'already_completed');
    const completed = await tx.task.findUniqueOrThrow({ where: { id: task.id }, select: taskSelect });
    await recordActivity(tx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      type: 'task.completed',
      entity: { type: 'task', id: task.id },
      summary: `${actor.name} completed “${task.title}” for ${task.lead.name}`,
      meta: { lead_id: task.leadId, creator_user_id: task.creatorUserId },
    });
    // A creator who has left the workspace is not told (and must not block the completion).
    if (task.creatorUserId !== actor.userId && (await isMember(tx, actor.workspaceId, task.creatorUserId))) {
      await createNotification(
        tx,
        taskCompleted({ ...task, workspaceId: actor.workspaceId, leadName: task.lead.name, completedBy: actor.name }),
      );
    }
    return toTaskItem(completed);
  });
}
