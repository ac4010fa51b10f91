import { type Db, inTransaction } from '../../db/prisma.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { jobSelect, toJobItem } from './job-item.ts';

export function createJob(db: Db, options: { actor: Actor; kind: string; description?: string }) {
  const { actor } = options;
  return inTransaction(db, async (tx) => {
    const job = await tx.job.create({
      data: {
        workspaceId: actor.workspaceId,
        kind: options.kind,
        description: options.description ?? '',
        createdById: actor.userId,
      },
      select: jobSelect,
    });
    await recordActivity(tx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      type: 'job.created',
      entity: { type: 'job', id: job.id },
      summary: `${actor.name} started a ${job.kind} job${job.description ? `: ${job.description}` : ''}`,
      meta: { kind: job.kind },
    });
    return toJobItem(job);
  });
}
