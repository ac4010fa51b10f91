import type { Prisma } from '../../db/prisma.ts';
import { conflict, forbidden } from '../../lib/errors.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { jobSelect } from './job-item.ts';

/**
 * Moves a running job to its final state. Only its starter or an admin may: the outcome is
 * recorded in their name (a failure as a critical event that tells every admin). Conditional
 * on `running`, so a job finishes once even when two reports race: the second gets 409 and
 * notifies nobody.
 */
export async function finishJob(
  tx: Prisma.TransactionClient,
  actor: Actor,
  jobId: string,
  outcome: { status: 'completed' } | { status: 'failed'; error: string },
) {
  // Who started a job never changes, so this check cannot race.
  const { createdById } = await tx.job.findUniqueOrThrow({ where: { id: jobId }, select: { createdById: true } });
  if (actor.role !== 'admin' && createdById !== actor.userId) {
    throw forbidden('Only the member who started this, or an admin, can report how it ended.');
  }
  const { count } = await tx.job.updateMany({
    where: { id: jobId, status: 'running' },
    data: { status: outcome.status, error: outcome.status === 'failed' ? outcome.error : null, finishedAt: new Date() },
  });
  if (count === 0) throw conflict('This has already finished.', 'already_finished');
  return tx.job.findUniqueOrThrow({ where: { id: jobId }, select: jobSelect });
}
