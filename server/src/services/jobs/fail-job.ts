import { type Db, inTransaction } from '../../db/prisma.ts';
import { jobFailed } from '../../domain/notifications.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { createNotification } from '../notifications/create-notification.ts';
import { findStandaloneJob } from './find-job.ts';
import { finishJob } from './finish-job.ts';
import { toJobItem } from './job-item.ts';

/** A failed job is critical: it shows in critical events and the workspace's admins are notified. */
export function failJob(db: Db, options: { actor: Actor; jobId: string; error: string }) {
  const { actor } = options;
  return inTransaction(db, async (tx) => {
    const job = await findStandaloneJob(tx, actor.workspaceId, options.jobId);
    const finished = await finishJob(tx, actor, job.id, { status: 'failed', error: options.error });
    await recordActivity(tx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      type: 'job.failed',
      entity: { type: 'job', id: job.id },
      summary: `${job.kind} job failed: ${options.error}`,
      meta: { kind: job.kind, error: options.error },
      severity: 'critical',
    });
    await createNotification(tx, jobFailed({ workspaceId: actor.workspaceId, id: job.id, kind: job.kind, error: options.error }));
    return toJobItem(finished);
  });
}
