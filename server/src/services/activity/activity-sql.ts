import { Prisma } from '../../db/prisma.ts';
import { afterCursor, type Cursor } from '../../lib/cursor.ts';
import type { Severity } from '../../domain/types.ts';

export interface ActivityFilters {
  /** Undefined only for super admins' cross-workspace view. */
  workspaceId?: string;
  actorUserId?: string;
  type?: string;
  /** Types the caller may not see (audit entries, for members). */
  excludeTypes?: readonly string[];
  severity?: Severity;
  entityType?: string;
  entityId?: string;
  /** Only these entries (an alert's link to the entries that fired it). */
  ids?: string[];
  since?: Date;
  until?: Date;
  /** Words to find in the summary, actor name, entity id and meta values (full-text). */
  search?: string;
}

/**
 * The tsquery text for what a person typed: every word must match, each as a word prefix
 * ("fail" finds "failed"), in the 'simple' configuration the search vector is built with.
 * Characters with a meaning in tsquery syntax are dropped, so no input can be a syntax error.
 * Null: nothing searchable was typed (only punctuation), which matches nothing.
 */
export function searchTsquery(q: string): string | null {
  const words = q
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}@._\-+/#]+/gu, ' ')
    .split(' ')
    .filter((word) => /[\p{L}\p{N}]/u.test(word))
    .slice(0, 12);
  if (words.length === 0) return null;
  return words.map((word) => `'${word}':*`).join(' & ');
}

/**
 * The WHERE clause of an activity query with every filter (and the search and keyset cursor),
 * for the queries Prisma's query builder cannot express: the search vector is not a Prisma
 * field. The columns are those of `activities a`.
 */
export function activityWhereSql(filters: ActivityFilters, cursor?: Cursor): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (filters.workspaceId) conditions.push(Prisma.sql`a.workspace_id = ${filters.workspaceId}::uuid`);
  if (filters.actorUserId) conditions.push(Prisma.sql`a.actor_user_id = ${filters.actorUserId}::uuid`);
  if (filters.type) conditions.push(Prisma.sql`a.type = ${filters.type}`);
  if (filters.excludeTypes?.length) conditions.push(Prisma.sql`a.type <> ALL(${[...filters.excludeTypes]}::text[])`);
  if (filters.severity) conditions.push(Prisma.sql`a.severity = ${filters.severity}::"Severity"`);
  if (filters.entityType) conditions.push(Prisma.sql`a.entity_type = ${filters.entityType}`);
  if (filters.entityId) conditions.push(Prisma.sql`a.entity_id = ${filters.entityId}`);
  if (filters.ids) conditions.push(Prisma.sql`a.id = ANY(${filters.ids}::uuid[])`);
  if (filters.since) conditions.push(Prisma.sql`a.created_at >= ${filters.since}::timestamptz`);
  if (filters.until) conditions.push(Prisma.sql`a.created_at < ${filters.until}::timestamptz`);
  if (filters.search !== undefined) {
    const tsquery = searchTsquery(filters.search);
    conditions.push(tsquery ? Prisma.sql`a.search_vector @@ to_tsquery('simple', ${tsquery})` : Prisma.sql`FALSE`);
  }
  if (cursor) conditions.push(afterCursor(cursor, Prisma.sql`a.created_at`, Prisma.sql`a.id`));
  return conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
}

/** One activity row with the names the item shows, as `selectActivitySql` returns it. */
export interface ActivitySqlRow {
  id: string;
  workspace_id: string | null;
  workspace_name: string | null;
  actor_user_id: string | null;
  actor_name: string | null;
  type: string;
  entity_type: string | null;
  entity_id: string | null;
  summary: string;
  meta: unknown;
  severity: string;
  created_at: Date;
}

/**
 * Newest first, `limit` rows from `offset`, matching `where`: newest occurred (the feeds), or
 * newest recorded by the server (audit views, which a sender's clock must not reorder).
 */
export function selectActivitySql(where: Prisma.Sql, limit: number, offset = 0, order: 'occurred' | 'recorded' = 'occurred'): Prisma.Sql {
  return Prisma.sql`
    SELECT a.id, a.workspace_id, w.name AS workspace_name, a.actor_user_id, u.name AS actor_name, a.type,
           a.entity_type, a.entity_id, a.summary, a.meta, a.severity::text AS severity, a.created_at
      FROM activities a
      LEFT JOIN workspaces w ON w.id = a.workspace_id
      LEFT JOIN users u ON u.id = a.actor_user_id
      ${where}
     ORDER BY ${order === 'recorded' ? Prisma.sql`a.recorded_at DESC` : Prisma.sql`a.created_at DESC`}, a.id DESC
     LIMIT ${limit} OFFSET ${offset}`;
}

type ActivityColumnsRow = Pick<ActivitySqlRow, 'id' | 'workspace_id' | 'actor_user_id' | 'type' | 'entity_type' | 'entity_id' | 'summary' | 'severity' | 'created_at'>;

/** An entry's own columns (not its meta, not joined names) as the services name them. */
export const activityColumnsOf = (row: ActivityColumnsRow) => ({
  id: row.id,
  workspaceId: row.workspace_id,
  actorUserId: row.actor_user_id,
  type: row.type,
  entityType: row.entity_type,
  entityId: row.entity_id,
  summary: row.summary,
  severity: row.severity,
  createdAt: row.created_at,
});
export type ActivityColumns = ReturnType<typeof activityColumnsOf>;

/** The row in the shape `toActivityItem` takes. */
export const fromActivitySqlRow = (row: ActivitySqlRow) => ({
  ...activityColumnsOf(row),
  meta: row.meta,
  workspace: row.workspace_name === null ? null : { name: row.workspace_name },
  actor: row.actor_name === null ? null : { name: row.actor_name },
});
