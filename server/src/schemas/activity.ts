import { Type } from 'typebox';
import { ACTIVITY_TYPES, SEVERITIES } from '../domain/types.ts';
import { DateTime, Meta, Nullable, PageQuery, Uuid } from './common.ts';

export const ActivityTypeParam = Type.Enum([...ACTIVITY_TYPES]);
export const SeverityParam = Type.Enum([...SEVERITIES]);

export const ActivityItem = Type.Object(
  {
    id: Uuid,
    workspace_id: Uuid,
    workspace_name: Type.String(),
    actor_user_id: Nullable(Uuid),
    actor_name: Nullable(Type.String()),
    type: Type.String(),
    entity_type: Nullable(Type.String()),
    entity_id: Nullable(Type.String()),
    summary: Type.String(),
    meta: Meta,
    severity: SeverityParam,
    created_at: DateTime,
  }
);

const workspaceFilters = {
  ...PageQuery,
  type: Type.Optional(ActivityTypeParam),
  severity: Type.Optional(SeverityParam),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'ISO 8601; entries at or after' })),
  until: Type.Optional(Type.String({ format: 'date-time', description: 'ISO 8601; entries before' })),
  entity_type: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  entity_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
};

export const WorkspaceActivityQuery = Type.Object(workspaceFilters, { additionalProperties: false });

export const AdminActivityQuery = Type.Object(
  { ...workspaceFilters, workspace_id: Type.Optional(Uuid), actor_user_id: Type.Optional(Uuid) },
  { additionalProperties: false },
);
