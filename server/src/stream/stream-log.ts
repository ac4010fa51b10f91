import type { LoggedStreamEventType } from '@tray-notify/contract';
import type pg from 'pg';
import { frame } from './frame.ts';

/** Where a new stream starts reading the user's event log. */
export interface StreamStart {
  /** The last event the client already has; delivery continues after it. */
  after: bigint;
  /** The requested id was pruned or never existed: tell the client to refetch. */
  resync: boolean;
}

/**
 * Where to start for a client that already has `lastEventId` (undefined: a fresh client,
 * which starts at the present). Events after it are replayable only if the log still holds
 * the one right after it; an id from the future (another database, a bug) is unknown.
 */
export async function streamStart(pool: pg.Pool, userId: string, lastEventId: string | undefined): Promise<StreamStart> {
  const { rows } = await pool.query<{ head: string; oldest: string | null }>(
    `SELECT u.stream_seq AS head, (SELECT min(e.seq) FROM stream_events e WHERE e.user_id = u.id) AS oldest
       FROM users u WHERE u.id = $1`,
    [userId],
  );
  const row = rows[0] && { head: BigInt(rows[0].head), oldest: rows[0].oldest === null ? null : BigInt(rows[0].oldest) };
  const head = row?.head ?? 0n;
  if (lastEventId === undefined) return { after: head, resync: false };
  if (!/^\d{1,19}$/.test(lastEventId)) return { after: head, resync: true };
  const after = BigInt(lastEventId);
  if (after === head) return { after, resync: false };
  if (after > head || row?.oldest == null || row.oldest > after + 1n) return { after: head, resync: true };
  return { after, resync: false };
}

/** One event of a user's log, ready to write. */
export interface LoggedEvent {
  seq: bigint;
  frame: string;
  /** The workspace of the notification it is about (null in rows written before it was recorded). */
  workspaceId: string | null;
}

/**
 * Each user's next events after the given position, at most `limit` per user, as ready-made
 * frames in order, each with its workspace (a stream limited to one skips the others'). One
 * query for all users.
 */
export async function readStreamEvents(
  pool: pg.Pool,
  positions: { userId: string; after: bigint }[],
  limit: number,
): Promise<Map<string, LoggedEvent[]>> {
  // data as text: it goes out as stored, without a parse and a stringify.
  const { rows } = await pool.query<{ user_id: string; seq: string; type: LoggedStreamEventType; data: string; workspace_id: string | null }>(
    `SELECT w.user_id, e.seq, e.type, e.data::text AS data, e.data->>'workspace_id' AS workspace_id
       FROM unnest($1::uuid[], $2::bigint[]) AS w(user_id, after)
       CROSS JOIN LATERAL (
         SELECT seq, type, data FROM stream_events
          WHERE user_id = w.user_id AND seq > w.after ORDER BY seq LIMIT $3) e
      ORDER BY w.user_id, e.seq`,
    [positions.map((p) => p.userId), positions.map((p) => String(p.after)), limit],
  );
  const byUser = new Map<string, LoggedEvent[]>();
  for (const row of rows) {
    const seq = BigInt(row.seq);
    const list = byUser.get(row.user_id) ?? [];
    list.push({ seq, frame: frame(seq, row.type, row.data), workspaceId: row.workspace_id });
    byUser.set(row.user_id, list);
  }
  return byUser;
}
