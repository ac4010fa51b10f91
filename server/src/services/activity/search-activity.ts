import type { Db } from '../../db/prisma.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { toActivityItem } from './activity-item.ts';
import { activityWhereSql, fromActivitySqlRow, selectActivitySql, type ActivitySqlRow } from './activity-sql.ts';
import type { ActivityFilters, PageRequest } from './list-activity.ts';

/**
 * listActivity with a full-text `search` (GIN index on activities.search_vector), combined
 * with every other filter, the page and the cursor exactly as listActivity does.
 */
export async function searchActivity(db: Db, filters: ActivityFilters, request: PageRequest) {
  const cursor = request.cursor ? decodeCursor(request.cursor) : undefined;
  const rows = await db.$queryRaw<ActivitySqlRow[]>(
    selectActivitySql(activityWhereSql(filters, cursor), request.pageSize + 1, cursor ? 0 : (request.page - 1) * request.pageSize),
  );
  const items = rows.slice(0, request.pageSize);
  const last = items.at(-1);
  return {
    items: items.map((row) => toActivityItem(fromActivitySqlRow(row))),
    page: request.page,
    page_size: request.pageSize,
    next_cursor: rows.length > request.pageSize && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
  };
}
