import { Readable } from 'node:stream';
import type { Db } from '../../db/prisma.ts';
import { sqlOf } from '../../db/sql.ts';
import type { ExportFormat } from '../../domain/types.ts';
import { csvRecord } from '../../lib/csv.ts';
import { toActivityItem } from './activity-item.ts';
import { activityWhereSql, fromActivitySqlRow, selectActivitySql, type ActivitySqlRow } from './activity-sql.ts';
import type { ActivityFilters } from './list-activity.ts';

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

const CSV_COLUMNS = [
  'id',
  'created_at',
  'workspace_id',
  'workspace_name',
  'type',
  'severity',
  'actor_user_id',
  'actor_name',
  'entity_type',
  'entity_id',
  'summary',
  'meta',
] as const;

/** Rows per query: big enough to amortise a round trip, small enough that memory stays flat. */
const BATCH_SIZE = 1000;

/**
 * Every matching entry, newest first, in keyset batches: one short query per batch (no
 * transaction or connection held between them) and nothing accumulated, so memory stays
 * constant however many rows match. Entries written after the export began are left out.
 */
export async function* activityBatches(db: Db, filters: ActivityFilters, batchSize = BATCH_SIZE) {
  const startedAt = new Date();
  const bounded: ActivityFilters = { ...filters, until: filters.until && filters.until < startedAt ? filters.until : startedAt };
  let cursor: { createdAt: Date; id: string } | undefined;
  // On the plain pg pool: Prisma's result mapping would allocate several times more per row.
  const sql = sqlOf(db);
  for (;;) {
    const statement = selectActivitySql(activityWhereSql(bounded, cursor), batchSize);
    const rows = await sql.query<ActivitySqlRow>(statement.text, statement.values);
    if (rows.length === 0) return;
    yield rows.map((row) => toActivityItem(fromActivitySqlRow(row)));
    if (rows.length < batchSize) return;
    const last = rows.at(-1)!;
    cursor = { createdAt: last.created_at, id: last.id };
  }
}

/**
 * The export as a byte stream: a CSV with a header row, or one JSON item per line (the item
 * of GET /api/activity). Pulled by the reply: the next batch is read only when the client has
 * taken the previous one (backpressure), and a client that goes away stops the queries.
 */
export function exportActivity(db: Db, filters: ActivityFilters, format: ExportFormat): Readable {
  async function* lines() {
    if (format === 'csv') yield csvRecord(CSV_COLUMNS);
    for await (const items of activityBatches(db, filters)) {
      yield format === 'csv'
        ? items.map((item) => csvRecord(CSV_COLUMNS.map((column) => item[column]))).join('')
        : items.map((item) => `${JSON.stringify(item)}\n`).join('');
    }
  }
  return Readable.from(lines(), { objectMode: false, highWaterMark: 64 * 1024 });
}
