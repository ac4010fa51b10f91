import { type Db, inTransaction } from '../../db/prisma.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { playbookRunSelect, toPlaybookRunItem } from './playbook-run-item.ts';

/** Starts a run of a playbook, executed by a job of kind `playbook`. */
export function startPlaybookRun(db: Db, options: { actor: Actor; playbookName: string }) {
  const { actor } = options;
  return inTransaction(db, async (tx) => {
    const job = await tx.job.create({
      data: { workspaceId: actor.workspaceId, kind: 'playbook', description: options.playbookName, createdById: actor.userId },
      select: { id: true },
    });
    const run = await tx.playbookRun.create({
      data: { workspaceId: actor.workspaceId, playbookName: options.playbookName, jobId: job.id, startedById: actor.userId },
      select: playbookRunSelect,
    });
    await recordActivity(tx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      type: 'playbook.run',
      entity: { type: 'playbook_run', id: run.id },
      summary: `${actor.name} started playbook “${run.playbookName}”`,
      meta: { playbook: run.playbookName, job_id: job.id },
    });
    return toPlaybookRunItem(run);
  });
}
