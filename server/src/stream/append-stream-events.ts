import type { LoggedStreamEventType } from '@tray-notify/contract';
import type { Prisma } from '../db/prisma.ts';
import { type Sql, sqlOf } from '../db/sql.ts';
import { announceStreamHeads, parseHeads } from './wake-ups.ts';

/** The PostgreSQL channel that tells every server instance which users have new events (notifier.ts). */
export const STREAM_CHANNEL = 'tn_stream';

export interface NewStreamEvent {
  userId: string;
  type: LoggedStreamEventType;
  /** JSON-serialisable: the event's `data:` as the client receives it. */
  data: object;
}

/**
 * The rest of a `WITH` that appends events to users' stream logs, for statements that first
 * define `input(user_id uuid, ordinal int, type text, data text)`: `ordinal` is the event's
 * position among its user's events in the statement (1, 2, ...). It defines `appended`, one
 * row whose `heads` ("<userId>:<seq>,...", each user's new last event) the statement returns
 * for announceStreamHeads (wake-ups.ts).
 *
 * Event numbers come from `users.stream_seq`, incremented under that user's row lock
 * (taken in id order, so concurrent transactions cannot deadlock): a later number always
 * commits after an earlier one, so a reader resuming "after N" can never skip a row that
 * commits late. Nothing here wakes a listener: a NOTIFY in the writing transaction would
 * serialise every notifying commit of the cluster on the notify queue's lock, held through
 * the WAL flush. The wake-up follows the commit (notifier.ts); listeners only learn "user U
 * has events up to N" from it and read the events themselves.
 */
export const APPEND_STREAM_EVENTS = `
  wanted AS (SELECT user_id, count(*)::int AS n FROM input GROUP BY user_id),
  locked AS (SELECT u.id FROM users u JOIN wanted w ON w.user_id = u.id ORDER BY u.id FOR NO KEY UPDATE OF u),
  bumped AS (
    UPDATE users u SET stream_seq = u.stream_seq + w.n
      FROM wanted w
     WHERE u.id = w.user_id AND u.id IN (SELECT id FROM locked)
    RETURNING u.id, u.stream_seq, w.n),
  inserted AS (
    INSERT INTO stream_events (user_id, seq, type, data)
    SELECT e.user_id, b.stream_seq - b.n + e.ordinal, e.type, e.data::jsonb
      FROM input e JOIN bumped b ON b.id = e.user_id),
  appended AS (SELECT string_agg(id || ':' || stream_seq, ',') AS heads FROM bumped)`;

/**
 * Takes the stream locks of these users (their `users` rows, in id order) for the rest of the
 * caller's transaction. The lock order everywhere is: users, then receipts, then unread
 * counters (a statement-level trigger takes those when the statement ends). A notification
 * insert follows it within its one statement; a transaction that changes receipts in one
 * statement and appends stream events in a later one must call this first, or it would hold a
 * counter while waiting for a user that an insert holds while waiting for that counter.
 */
export async function lockStreams(tx: Prisma.TransactionClient | Sql, userIds: string[]): Promise<void> {
  if (userIds.length > 0) await sqlOf(tx).query(LOCK_STREAMS, [userIds], 'lock-streams');
}

const LOCK_STREAMS = 'SELECT 1 AS locked FROM users WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE';

/**
 * Appends events to each user's stream log inside the caller's transaction; the streams are
 * woken once it has committed.
 */
export async function appendStreamEvents(tx: Prisma.TransactionClient | Sql, events: NewStreamEvent[]): Promise<void> {
  if (events.length === 0) return;
  const seen = new Map<string, number>();
  const ordinals = events.map((event) => {
    const ordinal = (seen.get(event.userId) ?? 0) + 1;
    seen.set(event.userId, ordinal);
    return ordinal;
  });
  // One statement, one round trip: this runs in every notifying transaction.
  const [appended] = await sqlOf(tx).query<{ heads: string | null }>(
    `WITH input AS (SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[]) AS e(user_id, ordinal, type, data)),
     ${APPEND_STREAM_EVENTS}
     SELECT heads FROM appended`,
    [events.map((event) => event.userId), ordinals, events.map((event) => event.type), events.map((event) => JSON.stringify(event.data))],
    'append-stream-events',
  );
  announceStreamHeads(parseHeads(appended?.heads), false);
}
