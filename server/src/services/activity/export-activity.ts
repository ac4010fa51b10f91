import { Readable } from 'node:stream';
import type { Db } from '../../db/prisma.ts';
import { bulkSqlOf } from '../../db/sql.ts';
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

/** Rows per query: big enough to amortise a round trip; each row is turned into text at once. */
const BATCH_SIZE = 1000;
/** Characters per chunk handed to the reply: under V8's large-object size, which only a full GC frees. */
const CHUNK_CHARS = 16 * 1024;

/**
 * Every matching row, newest first, in keyset batches: one short query per batch (no
 * transaction or connection held between them) and nothing accumulated, so memory stays
 * constant however many rows match. Entries written after the export began are left out.
 */
async function* activityRowBatches(db: Db, filters: ActivityFilters, rowsPerSecond: number) {
  const startedAt = new Date();
  let sent = 0;
  const bounded: ActivityFilters = { ...filters, until: filters.until && filters.until < startedAt ? filters.until : startedAt };
  let cursor: { createdAt: Date; id: string } | undefined;
  const sql = bulkSqlOf(db);
  for (;;) {
    const statement = selectActivitySql(activityWhereSql(bounded, cursor), BATCH_SIZE);
    const rows = await sql.query<ActivitySqlRow>(statement.text, statement.values);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < BATCH_SIZE) return;
    // Paced: at full speed one export takes a whole core of this process and of PostgreSQL,
    // which every other tenant's requests would wait behind.
    sent += rows.length;
    const ahead = startedAt.getTime() + (sent / rowsPerSecond) * 1000 - Date.now();
    if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, ahead));
    const last = rows.at(-1)!;
    cursor = { createdAt: last.created_at, id: last.id };
  }
}

/**
 * The export as a byte stream: a CSV with a header row, or one JSON item per line (the item
 * of GET /api/activity). Pulled by the reply: the next batch is read only when the client has
 * taken the previous one (backpressure), and a client that goes away stops the queries.
 *
 * Memory stays flat because everything made for a row dies young: each row becomes its line
 * at once (no batch of items is held), and chunks stay small. On the plain pg pool of bulk
 * reads: Prisma's result mapping would allocate several times more per row. A database that
 * stops answering ends the download without its last chunk (the bounds of the server's
 * pools), so the client can tell it is incomplete. At most `rowsPerSecond` rows a second.
 */
export function exportActivity(db: Db, filters: ActivityFilters, format: ExportFormat, rowsPerSecond = Number.POSITIVE_INFINITY): Readable {
  const line = (row: ActivitySqlRow) => {
    const item = toActivityItem(fromActivitySqlRow(row));
    return format === 'csv' ? csvRecord(CSV_COLUMNS.map((column) => item[column])) : `${JSON.stringify(item)}\n`;
  };
  async function* chunks() {
    if (format === 'csv') yield csvRecord(CSV_COLUMNS);
    for await (const rows of activityRowBatches(db, filters, rowsPerSecond)) {
      let chunk = '';
      for (const row of rows) {
        chunk += line(row);
        if (chunk.length >= CHUNK_CHARS) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    }
  }
  return Readable.from(chunks(), { objectMode: false, highWaterMark: 64 * 1024 });
}
