import { type Db, inTransaction } from '../../db/prisma.ts';
import { playbookCompleted } from '../../domain/notifications.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { finishJob } from '../jobs/finish-job.ts';
import { createNotification } from '../notifications/create-notification.ts';
import { findPlaybookRun, playbookRunSelect, toPlaybookRunItem } from './playbook-run-item.ts';

export function completePlaybookRun(
  db: Db,
  options: { actor: Actor; runId: string; leadsAdded: number; leadsSkipped?: number },
) {
  const { actor } = options;
  return inTransaction(db, async (tx) => {
    const run = await findPlaybookRun(tx, actor.workspaceId, options.runId);
    await finishJob(tx, actor, run.jobId, { status: 'completed' });
    const finished = await tx.playbookRun.update({
      where: { id: run.id },
      data: { status: 'completed', leadsAdded: options.leadsAdded, leadsSkipped: options.leadsSkipped ?? 0, finishedAt: new Date() },
      select: playbookRunSelect,
    });
    await recordActivity(tx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      type: 'playbook.completed',
      entity: { type: 'playbook_run', id: run.id },
      summary: `Playbook “${run.playbookName}” completed (${options.leadsAdded} leads added)`,
      meta: { playbook: run.playbookName, job_id: run.jobId, leads_added: options.leadsAdded, leads_skipped: finished.leadsSkipped },
    });
    await createNotification(
      tx,
      playbookCompleted({ workspaceId: actor.workspaceId, id: run.id, playbookName: run.playbookName, leadsAdded: options.leadsAdded }),
    );
    return toPlaybookRunItem(finished);
  });
}
