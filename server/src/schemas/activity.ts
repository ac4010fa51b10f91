import { Type } from 'typebox';
import { ActivityTypeSchema as ActivityTypeParam, SeveritySchema as SeverityParam } from '@tray-notify/contract';
import { PageQuery, Uuid } from './common.ts';

export { ActivityItem } from '@tray-notify/contract';
export { ActivityTypeParam, SeverityParam };

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
