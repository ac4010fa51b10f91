import type { Prisma } from '../../db/prisma.ts';

export const jobSelect = {
  id: true,
  workspaceId: true,
  kind: true,
  description: true,
  status: true,
  error: true,
  createdAt: true,
  finishedAt: true,
} satisfies Prisma.JobSelect;

export const toJobItem = (job: {
  id: string;
  workspaceId: string;
  kind: string;
  description: string;
  status: string;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}) => ({
  id: job.id,
  workspace_id: job.workspaceId,
  kind: job.kind,
  description: job.description,
  status: job.status as 'running' | 'completed' | 'failed',
  error: job.error,
  created_at: job.createdAt.toISOString(),
  finished_at: job.finishedAt?.toISOString() ?? null,
});
