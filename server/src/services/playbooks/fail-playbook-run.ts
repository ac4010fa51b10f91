import { type Db, inTransaction } from '../../db/prisma.ts';
import { playbookFailed } from '../../domain/notifications.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { finishJob } from '../jobs/finish-job.ts';
import { createNotification } from '../notifications/create-notification.ts';
import { findPlaybookRun, playbookRunSelect, toPlaybookRunItem } from './playbook-run-item.ts';

/** A failed run is critical and tells the workspace's admins. */
export function failPlaybookRun(db: Db, options: { actor: Actor; runId: string; error: string }) {
  const { actor } = options;
  return inTransaction(db, async (tx) => {
    const run = await findPlaybookRun(tx, actor.workspaceId, options.runId);
    await finishJob(tx, actor, run.jobId, { status: 'failed', error: options.error });
    const finished = await tx.playbookRun.update({
      where: { id: run.id },
      data: { status: 'failed', error: options.error, finishedAt: new Date() },
      select: playbookRunSelect,
    });
    await recordActivity(tx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      type: 'playbook.failed',
      entity: { type: 'playbook_run', id: run.id },
      summary: `Playbook “${run.playbookName}” failed: ${options.error}`,
      meta: { playbook: run.playbookName, job_id: run.jobId, error: options.error },
      severity: 'critical',
    });
    await createNotification(
      tx,
      playbookFailed({ workspaceId: actor.workspaceId, id: run.id, playbookName: run.playbookName, error: options.error }),
    );
    return toPlaybookRunItem(finished);
  });
}
