import type { Db } from '../../db/prisma.ts';
import { conflict, notFound } from '../../lib/errors.ts';

/** A plain job of the workspace; a playbook's job is finished through its run. */
export async function findStandaloneJob(db: Db, workspaceId: string, jobId: string) {
  const job = await db.job.findFirst({
    where: { id: jobId, workspaceId },
    select: { id: true, kind: true, description: true, _count: { select: { playbookRuns: true } } },
  });
  if (!job) throw notFound('No such job in this workspace.');
  if (job._count.playbookRuns > 0) throw conflict('This job belongs to a playbook run: finish the run instead.', 'playbook_job');
  return job;
}
