import { Type } from 'typebox';
import { EMAIL_STATUSES, EMAIL_VERIFICATION_RESULTS, LEAD_STATUSES } from '../domain/leads.ts';
import { DateTime, Nullable, Uuid } from './common.ts';

const LeadStatus = Type.Enum([...LEAD_STATUSES]);
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Email = Type.String({ format: 'email', maxLength: 320 });
const Stage = Type.String({ minLength: 1, maxLength: 100 });

export const LeadItem = Type.Object({
  id: Uuid,
  workspace_id: Uuid,
  name: Type.String(),
  email: Nullable(Type.String()),
  email_status: Type.Enum([...EMAIL_STATUSES]),
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
