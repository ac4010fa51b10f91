import { Prisma, type Db } from '../../db/prisma.ts';
import type { Severity } from '../../domain/types.ts';
import { afterCursor, decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { badRequest } from '../../lib/errors.ts';
import { toActivityItem } from './activity-item.ts';

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
  since?: Date;
  until?: Date;
}

export interface PageRequest {
  page: number;
  pageSize: number;
  cursor?: string;
}

interface ActivityRow {
  id: string;
  workspace_id: string;
  actor_user_id: string | null;
  type: string;
  entity_type: string | null;
  entity_id: string | null;
  summary: string;
  meta: unknown;
  severity: string;
  created_at: Date;
  workspace_name: string;
  actor_name: string | null;
}

/**
 * How deep `page` may go: an offset makes PostgreSQL walk every row before it, which costs
 * ~linear time (seconds at millions of rows), while a cursor starts at its position.
 */
export const MAX_PAGE_OFFSET = 10_000;

/**
 * Newest first. `cursor` (keyset) stays correct while new rows arrive; `page` is kept for
 * the original API and is ignored when a cursor is given.
 */
export async function listActivity(db: Db, filters: ActivityFilters, request: PageRequest) {
  const cursor = request.cursor ? decodeCursor(request.cursor) : undefined;
  const offset = cursor ? 0 : (request.page - 1) * request.pageSize;
  if (offset > MAX_PAGE_OFFSET) {
    throw badRequest(
      `\`page\` reaches only the newest ${MAX_PAGE_OFFSET.toLocaleString('en-US')} entries (page × page_size); ` +
        'to go deeper, follow `next_cursor`: pass it back as `cursor`.',
      'page_too_deep',
    );
  }
  const conditions: Prisma.Sql[] = [];
  if (filters.workspaceId) conditions.push(Prisma.sql`a.workspace_id = ${filters.workspaceId}::uuid`);
  if (filters.actorUserId) conditions.push(Prisma.sql`a.actor_user_id = ${filters.actorUserId}::uuid`);
  if (filters.type) conditions.push(Prisma.sql`a.type = ${filters.type}`);
  if (filters.excludeTypes?.length) conditions.push(Prisma.sql`a.type <> ALL(${[...filters.excludeTypes]}::text[])`);
  if (filters.severity) conditions.push(Prisma.sql`a.severity = ${filters.severity}::"Severity"`);
  if (filters.entityType) conditions.push(Prisma.sql`a.entity_type = ${filters.entityType}`);
  if (filters.entityId) conditions.push(Prisma.sql`a.entity_id = ${filters.entityId}`);
  if (filters.since) conditions.push(Prisma.sql`a.created_at >= ${filters.since}::timestamptz`);
  if (filters.until) conditions.push(Prisma.sql`a.created_at < ${filters.until}::timestamptz`);
  if (cursor) conditions.push(afterCursor(cursor, Prisma.sql`a.created_at`, Prisma.sql`a.id`));
  // One statement with the names joined in: this is the hottest read, and each extra round
  // trip (Prisma loads relations with a query each) costs more than the page itself.
  const rows = await db.$queryRaw<ActivityRow[]>`
    SELECT a.id, a.workspace_id, a.actor_user_id, a.type, a.entity_type, a.entity_id, a.summary, a.meta,
           a.severity::text AS severity, a.created_at, w.name AS workspace_name, u.name AS actor_name
      FROM activities a
      JOIN workspaces w ON w.id = a.workspace_id
      LEFT JOIN users u ON u.id = a.actor_user_id
     ${conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty}
     ORDER BY a.created_at DESC, a.id DESC
     LIMIT ${request.pageSize + 1} OFFSET ${offset}`;
  const items = rows.slice(0, request.pageSize);
  const last = items.at(-1);
  return {
    items: items.map((row) =>
      toActivityItem({
        id: row.id,
        workspaceId: row.workspace_id,
        actorUserId: row.actor_user_id,
        type: row.type,
        entityType: row.entity_type,
        entityId: row.entity_id,
        summary: row.summary,
        meta: row.meta,
        severity: row.severity,
        createdAt: row.created_at,
        workspace: { name: row.workspace_name },
        actor: row.actor_name === null ? null : { name: row.actor_name },
      }),
    ),
    page: request.page,
    page_size: request.pageSize,
    next_cursor: rows.length > request.pageSize && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
  };
}
