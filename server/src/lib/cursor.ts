import { Prisma } from '../db/prisma.ts';
import { badRequest } from './errors.ts';

/** Keyset position in a newest-first feed: the last row's (created_at, id). */
export interface Cursor {
  createdAt: Date;
  id: string;
}

export const encodeCursor = (cursor: Cursor) =>
  Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.id])).toString('base64url');

export function decodeCursor(raw: string): Cursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(createdAt);
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(date.getTime())) throw new Error();
    return { createdAt: date, id };
  } catch {
    throw badRequest('`cursor` is not valid: pass back the `next_cursor` of a previous page unchanged.');
  }
}

/**
 * Rows strictly after the cursor in (created_at DESC, id DESC) order. Written as a range on
 * created_at plus a tie-break, so PostgreSQL starts the index scan at the cursor (and prunes
 * the partitions newer than it).
 */
export function afterCursor(cursor: Cursor, createdAt: Prisma.Sql, id: Prisma.Sql) {
  return Prisma.sql`${createdAt} <= ${cursor.createdAt}::timestamptz
    AND (${createdAt} < ${cursor.createdAt}::timestamptz OR ${id} < ${cursor.id}::uuid)`;
}
