import { absoluteTargetUrl } from '../../domain/links.ts';
import { activityChanges, activityTargetUrl } from '../../domain/targets.ts';
import type { Severity } from '../../domain/types.ts';

interface ActivityRow {
  id: string;
  /** Null: an entry about the whole service (super admins only). */
  workspaceId: string | null;
  actorUserId: string | null;
  type: string;
  entityType: string | null;
  entityId: string | null;
  summary: string;
  meta: unknown;
  severity: string;
  createdAt: Date;
  workspace: { name: string } | null;
  actor: { name: string } | null;
}

export const toActivityItem = (row: ActivityRow) => {
  const meta = (row.meta ?? {}) as Record<string, unknown>;
  return {
    id: row.id,
    workspace_id: row.workspaceId,
    workspace_name: row.workspace?.name ?? null,
    actor_user_id: row.actorUserId,
    actor_name: row.actor?.name ?? null,
    type: row.type,
    entity_type: row.entityType,
    entity_id: row.entityId,
    summary: row.summary,
    meta,
    severity: row.severity as Severity,
    created_at: row.createdAt.toISOString(),
    // Absolute on the host app like a notification's, so the activity detail can open it there.
    target_url: absoluteTargetUrl(activityTargetUrl(row.entityType, row.entityId, meta)),
    changes: activityChanges(meta),
  };
};
