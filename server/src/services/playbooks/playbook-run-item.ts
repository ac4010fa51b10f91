import type { Db, Prisma } from '../../db/prisma.ts';
import { notFound } from '../../lib/errors.ts';

export const playbookRunSelect = {
  id: true,
  workspaceId: true,
  playbookName: true,
  jobId: true,
  status: true,
  leadsAdded: true,
  leadsSkipped: true,
  error: true,
  createdAt: true,
  finishedAt: true,
} satisfies Prisma.PlaybookRunSelect;

export const toPlaybookRunItem = (run: {
  id: string;
  workspaceId: string;
  playbookName: string;
  jobId: string;
  status: string;
  leadsAdded: number | null;
  leadsSkipped: number | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}) => ({
  id: run.id,
  workspace_id: run.workspaceId,
  playbook_name: run.playbookName,
  job_id: run.jobId,
  status: run.status as 'running' | 'completed' | 'failed',
  leads_added: run.leadsAdded,
  leads_skipped: run.leadsSkipped,
  error: run.error,
  created_at: run.createdAt.toISOString(),
  finished_at: run.finishedAt?.toISOString() ?? null,
});

export async function findPlaybookRun(db: Db, workspaceId: string, runId: string) {
  const run = await db.playbookRun.findFirst({ where: { id: runId, workspaceId }, select: playbookRunSelect });
  if (!run) throw notFound('No such playbook run in this workspace.');
  return run;
}
