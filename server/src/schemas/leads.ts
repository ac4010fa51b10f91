import type { Prisma } from '../db/prisma.ts';
import { Type } from 'typebox';
import { DateTime, Nullable, Uuid } from './common.ts';

export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'disqualified'] as const;
const LeadStatus = Type.Enum([...LEAD_STATUSES]);
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Email = Type.String({ format: 'email', maxLength: 320 });
const Stage = Type.String({ minLength: 1, maxLength: 100 });

export const LeadItem = Type.Object({
  id: Uuid,
  workspace_id: Uuid,
  name: Type.String(),
  email: Nullable(Type.String()),
  email_status: Type.Enum(['unknown', 'found', 'verified', 'risky', 'invalid']),
  owner_user_id: Nullable(Uuid),
  status: LeadStatus,
  stage: Nullable(Type.String()),
  created_at: DateTime,
  updated_at: DateTime,
});

export const CreateLeadBody = Type.Object(
  {
    name: Name,
    email: Type.Optional(Email),
    owner_user_id: Type.Optional(Type.String({ format: 'uuid', description: 'A member of the workspace; default: the caller' })),
    status: Type.Optional(LeadStatus),
    stage: Type.Optional(Stage),
  },
  { additionalProperties: false },
);

export const UpdateLeadBody = Type.Object(
  {
    name: Type.Optional(Name),
    email: Type.Optional(Nullable(Email)),
    owner_user_id: Type.Optional(Nullable(Uuid)),
    status: Type.Optional(LeadStatus),
    stage: Type.Optional(Nullable(Stage)),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const EmailFoundBody = Type.Object(
  { email: Email, source: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'e.g. enrichment' })) },
  { additionalProperties: false },
);

export const EMAIL_VERIFICATION_RESULTS = ['deliverable', 'risky', 'undeliverable'] as const;
export const EmailVerifiedBody = Type.Object(
  { result: Type.Enum([...EMAIL_VERIFICATION_RESULTS]) },
  { additionalProperties: false },
);

export const LeadList = Type.Object({ id: Uuid, name: Type.String(), created_at: DateTime });
export const CreateLeadListBody = Type.Object({ name: Name }, { additionalProperties: false });
export const AddToListBody = Type.Object({ lead_id: Uuid }, { additionalProperties: false });
export const AddToListResponse = Type.Object({
  list_id: Uuid,
  lead_id: Uuid,
  added: Type.Boolean({ description: 'false: the lead was already on the list (nothing changed)' }),
});

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

export interface LeadRow {
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
}

export const toLeadItem = (row: LeadRow) => ({
  id: row.id,
  workspace_id: row.workspaceId,
  name: row.name,
  email: row.email,
  email_status: row.emailStatus as 'unknown' | 'found' | 'verified' | 'risky' | 'invalid',
  owner_user_id: row.ownerUserId,
  status: row.status as (typeof LEAD_STATUSES)[number],
  stage: row.stage,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});
