import { type Db, inTransaction } from '../../db/prisma.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { findStandaloneJob } from './find-job.ts';
import { finishJob } from './finish-job.ts';
import { toJobItem } from './job-item.ts';

export function completeJob(db: Db, options: { actor: Actor; jobId: string; result?: string }) {
  const { actor } = options;
  return inTransaction(db, async (tx) => {
    const job = await findStandaloneJob(tx, actor.workspaceId, options.jobId);
    const finished = await finishJob(tx, actor, job.id, { status: 'completed' });
    await recordActivity(tx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      type: 'job.completed',
      entity: { type: 'job', id: job.id },
      summary: `${job.kind} job finished${options.result ? `: ${options.result}` : ''}`,
      meta: { kind: job.kind, result: options.result ?? null },
    });
    return toJobItem(finished);
  });
}
