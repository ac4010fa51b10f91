import { Type, type Static } from 'typebox';
import { dateParam } from '../lib/params.ts';
import { activityChanges, activityTargetUrl } from '../domain/targets.ts';
import { ActivityTypeSchema as ActivityTypeParam, SeveritySchema as SeverityParam } from '@tray-notify/contract';
import { EXPORT_FORMATS, type SEVERITIES } from '../domain/types.ts';
import { PageQuery, Uuid } from './common.ts';

export { ActivityItem } from '@tray-notify/contract';
export { ActivityTypeParam, SeverityParam };

const filterProps = {
  q: Type.Optional(
    Type.String({ maxLength: 200, description: 'Words to find (all of them, as word prefixes) in the summary, actor name, entity id and meta values' }),
  ),
  type: Type.Optional(ActivityTypeParam),
  severity: Type.Optional(SeverityParam),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'ISO 8601; entries at or after' })),
  until: Type.Optional(Type.String({ format: 'date-time', description: 'ISO 8601; entries before' })),
  entity_type: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  entity_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
};
const adminFilterProps = { workspace_id: Type.Optional(Uuid), actor_user_id: Type.Optional(Uuid) };
const exportProps = { format: Type.Enum([...EXPORT_FORMATS], { default: 'csv', description: 'csv (RFC 4180, with a header row) or ndjson' }) };

export const WorkspaceActivityQuery = Type.Object({ ...PageQuery, ...filterProps }, { additionalProperties: false });

export const AdminActivityQuery = Type.Object({ ...PageQuery, ...filterProps, ...adminFilterProps }, { additionalProperties: false });

export const WorkspaceActivityExportQuery = Type.Object({ ...filterProps, ...exportProps }, { additionalProperties: false });

export const AdminActivityExportQuery = Type.Object({ ...filterProps, ...adminFilterProps, ...exportProps }, { additionalProperties: false });

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

export const toActivityItem = (row: ActivityRow) => {
  const meta = (row.meta ?? {}) as Record<string, unknown>;
  return {
    id: row.id,
    workspace_id: row.workspaceId,
    workspace_name: row.workspace.name,
    actor_user_id: row.actorUserId,
    actor_name: row.actor?.name ?? null,
    type: row.type,
    entity_type: row.entityType,
    entity_id: row.entityId,
    summary: row.summary,
    meta,
    severity: row.severity as (typeof SEVERITIES)[number],
    created_at: row.createdAt.toISOString(),
    target_url: activityTargetUrl(row.entityType, row.entityId, meta),
    changes: activityChanges(meta),
  };
};

/** The query's filters and page, as listActivity takes them (shared by both activity feeds and their exports). */
export function activityQueryOptions(query: Omit<Static<typeof WorkspaceActivityQuery>, 'page' | 'page_size' | 'cursor'> & Partial<Static<typeof WorkspaceActivityQuery>>) {
  return {
    filters: {
      search: query.q === undefined || query.q.trim() === '' ? undefined : query.q,
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
