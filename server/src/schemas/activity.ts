import { Type, type Static } from 'typebox';
import { dateParam } from '../lib/params.ts';
import { ActivityTypeSchema as ActivityTypeParam, SeveritySchema as SeverityParam } from '@tray-notify/contract';
import type { SEVERITIES } from '../domain/types.ts';
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

interface ActivityRow {
  id: string;
  workspaceId: string;
  actorUserId: string | null;
  type: string;
  entityType: string | null;
  entityId: string | null;
  summary: string;
  meta: unknown;
  severity: string;
  createdAt: Date;
  workspace: { name: string };
  actor: { name: string } | null;
}

export const toActivityItem = (row: ActivityRow) => ({
  id: row.id,
  workspace_id: row.workspaceId,
  workspace_name: row.workspace.name,
  actor_user_id: row.actorUserId,
  actor_name: row.actor?.name ?? null,
  type: row.type,
  entity_type: row.entityType,
  entity_id: row.entityId,
  summary: row.summary,
  meta: (row.meta ?? {}) as Record<string, unknown>,
  severity: row.severity as (typeof SEVERITIES)[number],
  created_at: row.createdAt.toISOString(),
});

/** The query's filters and page, as listActivity takes them (shared by both activity feeds). */
export function activityQueryOptions(query: Static<typeof WorkspaceActivityQuery>) {
  return {
    filters: {
      type: query.type,
      severity: query.severity,
      entityType: query.entity_type,
      entityId: query.entity_id,
      since: dateParam(query.since),
      until: dateParam(query.until),
    },
    page: { page: query.page ?? 1, pageSize: query.page_size ?? 20, cursor: query.cursor },
  };
}
