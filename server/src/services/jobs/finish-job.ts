import type { Prisma } from '../../db/prisma.ts';
import { conflict } from '../../lib/errors.ts';
import { jobSelect } from './job-item.ts';

/**
 * Moves a running job to its final state. Conditional on `running`, so a job finishes once
 * even when two reports race: the second gets 409 and notifies nobody.
 */
export async function finishJob(
  tx: Prisma.TransactionClient,
  jobId: string,
  outcome: { status: 'completed' } | { status: 'failed'; error: string },
) {
  const { count } = await tx.job.updateMany({
    where: { id: jobId, status: 'running' },
    data: { status: outcome.status, error: outcome.status === 'failed' ? outcome.error : null, finishedAt: new Date() },
  });
  if (count === 0) throw conflict('This has already finished.', 'already_finished');
  return tx.job.findUniqueOrThrow({ where: { id: jobId }, select: jobSelect });
}
