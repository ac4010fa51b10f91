import type { PrismaClient } from '../../db/prisma.ts';
import { withTransaction } from '../../db/sql.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import type { Inbox } from '../../domain/auth-context.ts';
import { appendStreamEvents, lockStreams } from '../../stream/append-stream-events.ts';
import { INBOX_COLUMNS, type InboxRow, inboxItem } from './list-notifications.ts';

export interface NotificationChange {
  read?: boolean;
  archived?: boolean;
  seen?: boolean;
  /** ISO time to hide it until; null brings it back now. */
  snoozed_until?: string | null;
}

const MAX_SNOOZE_MS = 366 * 24 * 3600 * 1000;

/**
 * The receipt's new state in one statement, with its old state beside it and the notification
 * it belongs to. Parameters: $1 notification, $2 user, $3 the inbox's workspace (null: any),
 * $4 read, $5 archived, $6 seen (each true, false, or null to keep), $7 whether a snooze is
 * given, $8 until when (null: not snoozed). Reading means having seen it; archiving ends a
 * snooze (an archived item does not come back by itself). The row lock orders concurrent
 * changes of one entry; the caller holds the user's stream lock first (lock order).
 */
const UPDATE_RECEIPT = `
  WITH old AS (
    SELECT r.notification_id, r.user_id, r.read_at, r.archived_at, r.seen_at, r.snoozed_until
      FROM notification_receipts r
     WHERE r.notification_id = $1::uuid AND r.user_id = $2::uuid AND ($3::uuid IS NULL OR r.workspace_id = $3::uuid)
       FOR UPDATE),
  next AS (
    SELECT o.*,
           CASE WHEN $4::boolean IS NULL THEN o.read_at WHEN $4::boolean THEN coalesce(o.read_at, now()) END AS new_read_at,
           CASE WHEN $5::boolean IS NULL THEN o.archived_at WHEN $5::boolean THEN coalesce(o.archived_at, now()) END AS new_archived_at,
           CASE WHEN $6::boolean IS NULL THEN o.seen_at WHEN $6::boolean THEN coalesce(o.seen_at, now()) END AS new_seen_at
      FROM old o),
  r AS (
    UPDATE notification_receipts t
       SET read_at = x.new_read_at, archived_at = x.new_archived_at, seen_at = x.new_seen_at,
           snoozed_until = CASE WHEN x.new_archived_at IS NOT NULL THEN NULL WHEN $7::boolean THEN $8::timestamptz ELSE x.snoozed_until END
      FROM next x
     WHERE t.notification_id = x.notification_id AND t.user_id = x.user_id
    RETURNING t.*, (t.read_at, t.archived_at, t.seen_at, t.snoozed_until) IS DISTINCT FROM (x.read_at, x.archived_at, x.seen_at, x.snoozed_until) AS changed)
  SELECT ${INBOX_COLUMNS}, r.changed
    FROM r JOIN notifications n ON n.id = r.notification_id
    LEFT JOIN users claimer ON claimer.id = n.claimed_by_id`;

/**
 * Changes the caller's own read/archived/seen/snoozed state. A notification the caller does
 * not receive is "not found", never "forbidden": its existence is not revealed. Every change
 * is announced on the caller's stream so their other devices follow. Every client calls this
 * for each read and archive: plain SQL on one connection (docs/architecture.md), three
 * statements in a transaction where Prisma took five queries and most of the CPU.
 */
export function updateNotification(db: PrismaClient, inbox: Inbox, notificationId: string, change: NotificationChange) {
  const { userId } = inbox;
  const snoozedUntil = change.snoozed_until == null ? change.snoozed_until : new Date(change.snoozed_until);
  if (snoozedUntil) {
    const ahead = snoozedUntil.getTime() - Date.now();
    if (!(ahead > 0 && ahead <= MAX_SNOOZE_MS)) {
      throw badRequest('body.snoozed_until must be a time in the future, within a year.');
    }
  }
  const seen = change.seen ?? (change.read ? true : undefined);
  return withTransaction(db, async (sql) => {
    await lockStreams(sql, [userId]);
    const [row] = await sql.query<InboxRow & { changed: boolean }>(
      UPDATE_RECEIPT,
      [notificationId, userId, inbox.workspaceId ?? null, change.read ?? null, change.archived ?? null, seen ?? null, snoozedUntil !== undefined, snoozedUntil ?? null],
      'update-receipt',
    );
    if (!row) throw notFound('No such notification.');
    const item = inboxItem(row);
    if (row.changed) {
      const state = { readAt: row.read_at, archivedAt: row.archived_at, seenAt: row.seen_at, snoozedUntil: row.snoozed_until };
      await appendStreamEvents(sql, [{ userId, type: 'notification.updated', data: updatedEventData(notificationId, row.workspace_id, state) }]);
    }
    return item;
  });
}

/**
 * Marks what the caller's list showed seen (every unseen entry, or those that arrived up to
 * `before`): the badge counts unseen, so opening the list clears it while unread stays.
 */
export function markAllSeen(db: PrismaClient, userId: string, options: { workspaceId?: string; before?: string } = {}) {
  return withTransaction(db, async (sql) => {
    await lockStreams(sql, [userId]);
    const seenAt = new Date();
    const changed = await sql.query<{
      notification_id: string;
      workspace_id: string;
      read_at: Date | null;
      archived_at: Date | null;
      snoozed_until: Date | null;
    }>(
      `UPDATE notification_receipts SET seen_at = $2
        WHERE user_id = $1::uuid AND seen_at IS NULL AND archived_at IS NULL
          AND (snoozed_until IS NULL OR snoozed_until <= now())
          AND ($3::uuid IS NULL OR workspace_id = $3::uuid)
          AND ($4::timestamptz IS NULL OR created_at <= $4::timestamptz)
       RETURNING notification_id, workspace_id, read_at, archived_at, snoozed_until`,
      [userId, seenAt, options.workspaceId ?? null, options.before ? new Date(options.before) : null],
      'mark-all-seen',
    );
    await appendStreamEvents(
      sql,
      changed.map((row) => ({
        userId,
        type: 'notification.updated',
        data: updatedEventData(row.notification_id, row.workspace_id, {
          readAt: row.read_at,
          archivedAt: row.archived_at,
          seenAt,
          snoozedUntil: row.snoozed_until,
        }),
      })),
    );
    return { updated: changed.length };
  });
}

/** A state change as the stream carries it; the workspace lets a stream limited to one skip the others'. */
export function updatedEventData(
  id: string,
  workspaceId: string,
  state: { readAt: Date | null; archivedAt: Date | null; seenAt: Date | null; snoozedUntil: Date | null },
) {
  return {
    id,
    workspace_id: workspaceId,
    read_at: state.readAt?.toISOString() ?? null,
    archived_at: state.archivedAt?.toISOString() ?? null,
    seen_at: state.seenAt?.toISOString() ?? null,
    snoozed_until: state.snoozedUntil?.toISOString() ?? null,
  };
}
