import { type Db, inTransaction } from '../../db/prisma.ts';
import { taskAssigned } from '../../domain/notifications.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { findLead } from '../leads/find-lead.ts';
import { createNotification } from '../notifications/create-notification.ts';
import { findMember } from '../workspaces/find-member.ts';
import { taskSelect, toTaskItem } from './task-item.ts';

export interface CreateTaskOptions {
  actor: Actor;
  leadId: string;
  title: string;
  assigneeUserId: string;
  dueAt?: Date;
}

/** Creates a task on a lead; the assignee is notified unless they assigned it to themselves. */
export function createTask(db: Db, options: CreateTaskOptions) {
  const { actor } = options;
  return inTransaction(db, async (tx) => {
    const lead = await findLead(tx, actor.workspaceId, options.leadId);
    const assignee = await findMember(tx, actor.workspaceId, options.assigneeUserId, 'assignee_user_id');
    const task = await tx.task.create({
      data: {
        workspaceId: actor.workspaceId,
        leadId: lead.id,
        title: options.title,
        assigneeUserId: assignee.id,
        creatorUserId: actor.userId,
        dueAt: options.dueAt ?? null,
      },
      select: taskSelect,
    });
    await recordActivity(tx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      type: 'task.created',
      entity: { type: 'task', id: task.id },
      summary: `${actor.name} created task “${task.title}” for ${lead.name}, assigned to ${assignee.name}`,
      meta: { lead_id: lead.id, assignee_user_id: assignee.id, due_at: task.dueAt?.toISOString() ?? null },
    });
    if (assignee.id !== actor.userId) {
      await createNotification(
        tx,
        taskAssigned({ ...task, workspaceId: actor.workspaceId, leadName: lead.name, assignedBy: actor.name }),
      );
    }
    return toTaskItem(task);
  });
}
