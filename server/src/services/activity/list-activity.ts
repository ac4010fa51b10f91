import type { Db } from '../../db/prisma.ts';
import { sqlOf } from '../../db/sql.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { badRequest } from '../../lib/errors.ts';
import { toActivityItem } from './activity-item.ts';
import { activityWhereSql, fromActivitySqlRow, selectActivitySql, type ActivityFilters, type ActivitySqlRow } from './activity-sql.ts';

export type { ActivityFilters };

export interface PageRequest {
  page: number;
  pageSize: number;
  cursor?: string;
  /**
   * Newest recorded first (when the server stored each row) instead of newest occurred first:
   * audit views, which a sender's clock must not reorder. Pages by number only.
   */
  byRecordedTime?: boolean;
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
  const cursor = request.cursor && !request.byRecordedTime ? decodeCursor(request.cursor) : undefined;
  const offset = cursor ? 0 : (request.page - 1) * request.pageSize;
  if (offset > MAX_PAGE_OFFSET) {
    throw badRequest(
      `\`page\` reaches only the newest ${MAX_PAGE_OFFSET.toLocaleString('en-US')} entries (page × page_size); ` +
        'to go deeper, follow `next_cursor`: pass it back as `cursor`.',
      'page_too_deep',
    );
  }
  // One statement with the names joined in: this is the hottest read, and each extra round
  // trip (Prisma loads relations with a query each) costs more than the page itself.
  // On the plain pg pool, where Prisma's raw query would add ~1 ms of CPU.
  const statement = selectActivitySql(activityWhereSql(filters, cursor), request.pageSize + 1, offset, request.byRecordedTime ? 'recorded' : 'occurred');
  const rows = await sqlOf(db).query<ActivitySqlRow>(statement.text, statement.values);
  const items = rows.slice(0, request.pageSize);
  const last = items.at(-1);
  return {
    items: items.map((row) => toActivityItem(fromActivitySqlRow(row))),
    page: request.page,
    page_size: request.pageSize,
    next_cursor: rows.length > request.pageSize && last && !request.byRecordedTime ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
  };
}
