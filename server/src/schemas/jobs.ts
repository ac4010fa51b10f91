import { Type } from 'typebox';
import { DateTime, Nullable, Uuid } from './common.ts';

const Status = Type.Enum(['running', 'completed', 'failed']);
const ErrorText = Type.String({ minLength: 1, maxLength: 2000 });

export const JobItem = Type.Object({
  id: Uuid,
  workspace_id: Uuid,
  kind: Type.String(),
  description: Type.String(),
  status: Status,
  error: Nullable(Type.String()),
  created_at: DateTime,
  finished_at: Nullable(DateTime),
});

export const CreateJobBody = Type.Object(
  {
    kind: Type.String({ pattern: '^[a-z][a-z0-9_]{0,49}$', description: 'e.g. csv_import, enrichment' }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export const CompleteJobBody = Type.Union([
  Type.Object({ result: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
  Type.Null(),
]);
export const FailBody = Type.Object({ error: ErrorText }, { additionalProperties: false });

export const PlaybookRunItem = Type.Object({
  id: Uuid,
  workspace_id: Uuid,
  playbook_name: Type.String(),
  job_id: Uuid,
  status: Status,
  leads_added: Nullable(Type.Integer()),
  leads_skipped: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  created_at: DateTime,
  finished_at: Nullable(DateTime),
});

export const StartPlaybookRunBody = Type.Object(
  { playbook_name: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export const CompletePlaybookRunBody = Type.Object(
  {
    leads_added: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
    leads_skipped: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
  },
  { additionalProperties: false },
);
