import type { Prisma } from '../../db/prisma.ts';
import type { EmailStatus, LeadStatus } from '../../domain/leads.ts';

export const leadSelect = {
  id: true,
  workspaceId: true,
  name: true,
  email: true,
  emailStatus: true,
  ownerUserId: true,
  status: true,
  stage: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.LeadSelect;

export const toLeadItem = (row: {
  id: string;
  workspaceId: string;
  name: string;
  email: string | null;
  emailStatus: string;
  ownerUserId: string | null;
  status: string;
  stage: string | null;
  createdAt: Date;
  updatedAt: Date;
}) => ({
  id: row.id,
  workspace_id: row.workspaceId,
  name: row.name,
  email: row.email,
  email_status: row.emailStatus as EmailStatus,
  owner_user_id: row.ownerUserId,
  status: row.status as LeadStatus,
  stage: row.stage,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});
