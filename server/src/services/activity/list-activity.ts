import type { Db, Prisma } from '../../db/prisma.ts';
import type { Severity } from '../../domain/types.ts';
import { afterCursor, decodeCursor, encodeCursor } from '../../lib/cursor.ts';
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

const activitySelect = {
  id: true,
  workspaceId: true,
  actorUserId: true,
  type: true,
  entityType: true,
  entityId: true,
  summary: true,
  meta: true,
  severity: true,
  createdAt: true,
  workspace: { select: { name: true } },
  actor: { select: { name: true } },
} satisfies Prisma.ActivitySelect;

/**
 * Newest first. `cursor` (keyset) stays correct while new rows arrive; `page` is kept for
 * the original API and is ignored when a cursor is given.
 */
export async function listActivity(db: Db, filters: ActivityFilters, request: PageRequest) {
  const where: Prisma.ActivityWhereInput = {
    workspaceId: filters.workspaceId,
    actorUserId: filters.actorUserId,
    type: filters.excludeTypes ? { equals: filters.type, notIn: [...filters.excludeTypes] } : filters.type,
    severity: filters.severity,
    entityType: filters.entityType,
    entityId: filters.entityId,
    createdAt: filters.since || filters.until ? { gte: filters.since, lt: filters.until } : undefined,
  };
  const cursor = request.cursor ? decodeCursor(request.cursor) : undefined;
  const rows = await db.activity.findMany({
    where: cursor ? { AND: [where, afterCursor(cursor, 'id')] } : where,
    select: activitySelect,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    skip: cursor ? 0 : (request.page - 1) * request.pageSize,
    take: request.pageSize + 1,
  });
  const items = rows.slice(0, request.pageSize);
  const last = items.at(-1);
  return {
    items: items.map(toActivityItem),
    page: request.page,
    page_size: request.pageSize,
    next_cursor: rows.length > request.pageSize && last ? encodeCursor(last) : null,
  };
}
