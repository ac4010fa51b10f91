import type { Severity } from '../../domain/types.ts';

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
  severity: row.severity as Severity,
  created_at: row.createdAt.toISOString(),
});
