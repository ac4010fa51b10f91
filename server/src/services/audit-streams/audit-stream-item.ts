import type { AuditStreamFormat, Severity } from '../../domain/types.ts';

/** The columns an item shows: never the secret or the token. */
export const auditStreamSelect = {
  id: true,
  workspaceId: true,
  name: true,
  url: true,
  format: true,
  types: true,
  minSeverity: true,
  token: true,
  status: true,
  pausedReason: true,
  failingSince: true,
  lastError: true,
  lastDeliveredAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

export interface AuditStreamRow {
  id: string;
  workspaceId: string | null;
  name: string;
  url: string;
  format: string;
  types: string[];
  minSeverity: string | null;
  token: string | null;
  status: string;
  pausedReason: string | null;
  failingSince: Date | null;
  lastError: string | null;
  lastDeliveredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const toAuditStreamItem = (row: AuditStreamRow) => ({
  id: row.id,
  workspace_id: row.workspaceId,
  name: row.name,
  url: row.url,
  format: row.format as AuditStreamFormat,
  types: row.types,
  min_severity: row.minSeverity as Severity | null,
  has_token: row.token !== null,
  status: row.status as 'active' | 'paused',
  paused_reason: row.pausedReason,
  failing_since: row.failingSince?.toISOString() ?? null,
  last_error: row.lastError,
  last_delivered_at: row.lastDeliveredAt?.toISOString() ?? null,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});
