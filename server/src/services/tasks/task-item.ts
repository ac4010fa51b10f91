import type { Prisma } from '../../db/prisma.ts';

export const taskSelect = {
  id: true,
  workspaceId: true,
  leadId: true,
  title: true,
  assigneeUserId: true,
  creatorUserId: true,
  dueAt: true,
  completedAt: true,
  createdAt: true,
} satisfies Prisma.TaskSelect;

export const toTaskItem = (task: {
  id: string;
  workspaceId: string;
  leadId: string;
  title: string;
  assigneeUserId: string;
  creatorUserId: string;
  dueAt: Date | null;
  completedAt: Date | null;
  createdAt: Date;
}) => ({
  id: task.id,
  workspace_id: task.workspaceId,
  lead_id: task.leadId,
  title: task.title,
  assignee_user_id: task.assigneeUserId,
  creator_user_id: task.creatorUserId,
  due_at: task.dueAt?.toISOString() ?? null,
  completed_at: task.completedAt?.toISOString() ?? null,
  created_at: task.createdAt.toISOString(),
});
