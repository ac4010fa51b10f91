import { randomUUID } from 'node:crypto';
import type { BulkAction, BulkFilter } from '@tray-notify/contract';
import { type Db, inTransaction, Prisma } from '../../db/prisma.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { hashToken, newToken } from '../../lib/tokens.ts';
import { appendStreamEvents, lockStreams } from '../../stream/append-stream-events.ts';
import type { Inbox } from '../../domain/auth-context.ts';
import { inboxConditions } from './list-notifications.ts';
import { updatedEventData } from './update-notification.ts';

/** An undo is offered for a while after the change; past that the token is refused. */
export const UNDO_TTL_MS = 60 * 60 * 1000;
const MAX_SNOOZE_MS = 366 * 24 * 3600 * 1000;

export interface BulkRequest {
  action: BulkAction;
  /** Snooze only: until when. */
  until?: string;
  /** Either the entries to change (the caller's own; others are ignored and not revealed)... */
  ids?: string[];
  /** ...or everything the list shows with this filter. */
  filter?: BulkFilter;
}

interface ChangedRow {
  notification_id: string;
  workspace_id: string;
  read_at: Date | null;
  archived_at: Date | null;
  seen_at: Date | null;
  snoozed_until: Date | null;
}

/**
 * What each action sets, and which rows it would change (the others are left out: they are
 * neither counted nor given an undo). Timestamps follow the single update: read implies seen,
 * archiving ends a snooze, an archived entry is not snoozed.
 */
function actionSql(action: BulkAction, now: Date, until: Date | null): { set: Prisma.Sql; changes: Prisma.Sql } {
  switch (action) {
    case 'read':
      return { set: Prisma.sql`read_at = ${now}, seen_at = coalesce(r.seen_at, ${now})`, changes: Prisma.sql`r.read_at IS NULL` };
    case 'unread':
      return { set: Prisma.sql`read_at = NULL`, changes: Prisma.sql`r.read_at IS NOT NULL` };
    case 'archive':
      return { set: Prisma.sql`archived_at = ${now}, snoozed_until = NULL`, changes: Prisma.sql`r.archived_at IS NULL` };
    case 'unarchive':
      return { set: Prisma.sql`archived_at = NULL`, changes: Prisma.sql`r.archived_at IS NOT NULL` };
    case 'seen':
      return { set: Prisma.sql`seen_at = ${now}`, changes: Prisma.sql`r.seen_at IS NULL` };
    case 'snooze':
      return {
        set: Prisma.sql`snoozed_until = ${until}`,
        changes: Prisma.sql`r.archived_at IS NULL AND r.snoozed_until IS DISTINCT FROM ${until}::timestamptz`,
      };
  }
}

/**
 * Applies one action to many of the caller's entries in one statement: the chosen ids, or
 * everything the list shows with a filter however many that is. All or nothing. The rows'
 * previous state is kept under a single-use undo token (null when nothing changed).
 */
export function bulkUpdate(db: Db, inbox: Inbox, request: BulkRequest) {
  const { userId } = inbox;
  if (!request.ids === !request.filter) throw badRequest('Send either `ids` or `filter`, not both.');
  let until: Date | null = null;
  if (request.action === 'snooze') {
    until = request.until ? new Date(request.until) : null;
    const ahead = until ? until.getTime() - Date.now() : NaN;
    if (!(ahead > 0 && ahead <= MAX_SNOOZE_MS)) throw badRequest('body.until must be a time in the future, within a year, for `snooze`.');
  } else if (request.until !== undefined) {
    throw badRequest('body.until belongs to `snooze` only.');
  }
  const filter = request.filter;
  if (filter?.workspace_id && inbox.workspaceId && filter.workspace_id !== inbox.workspaceId) {
    throw badRequest("This bell session belongs to one workspace: `filter.workspace_id` must be that workspace's.");
  }
  const selection = request.ids
    ? [Prisma.sql`r.user_id = ${userId}::uuid`, Prisma.sql`r.notification_id = ANY(${request.ids}::uuid[])`]
    : inboxConditions({
        userId,
        onlyUnread: filter?.only_unread ?? false,
        archived: filter?.archived ?? false,
        snoozed: filter?.snoozed ?? false,
        workspaceId: filter?.workspace_id,
        types: filter?.type?.split(','),
      });
  if (inbox.workspaceId) selection.push(Prisma.sql`r.workspace_id = ${inbox.workspaceId}::uuid`);

  return inTransaction(db, async (tx) => {
    // Every writer of this inbox takes the stream lock first: bulk and single changes apply one
    // after the other, and the maintained counters (statement triggers) stay exact.
    await lockStreams(tx, [userId]);
    const now = new Date();
    const { set, changes } = actionSql(request.action, now, until);
    const token = newToken();
    const undoId = randomUUID();
    const expiresAt = new Date(now.getTime() + UNDO_TTL_MS);
    await tx.$executeRaw`DELETE FROM notification_bulk_undos WHERE expires_at < now()`;
    const changed = await tx.$queryRaw<(ChangedRow & { [K in keyof ChangedRow as `before_${K & string}`]: ChangedRow[K] })[]>`
      WITH target AS (
        SELECT r.notification_id, r.read_at, r.archived_at, r.seen_at, r.snoozed_until
          FROM notification_receipts r JOIN notifications n ON n.id = r.notification_id
         WHERE ${Prisma.join(selection, ' AND ')} AND ${changes}
         ORDER BY r.notification_id
           FOR UPDATE OF r),
      changed AS (
        UPDATE notification_receipts r SET ${set}
          FROM target t
         WHERE r.notification_id = t.notification_id AND r.user_id = ${userId}::uuid
        RETURNING r.notification_id, r.workspace_id, r.read_at, r.archived_at, r.seen_at, r.snoozed_until,
                  t.read_at AS before_read_at, t.archived_at AS before_archived_at, t.seen_at AS before_seen_at,
                  t.snoozed_until AS before_snoozed_until),
      undo AS (
        INSERT INTO notification_bulk_undos (id, token_hash, user_id, workspace_id, action, expires_at)
        SELECT ${undoId}::uuid, ${hashToken(token)}, ${userId}::uuid, ${inbox.workspaceId ?? null}::uuid, ${request.action}, ${expiresAt}
         WHERE EXISTS (SELECT 1 FROM changed)),
      kept AS (
        INSERT INTO notification_bulk_undo_rows
          (undo_id, notification_id, read_at, archived_at, seen_at, snoozed_until, after_read_at, after_archived_at, after_seen_at, after_snoozed_until)
        SELECT ${undoId}::uuid, notification_id, before_read_at, before_archived_at, before_seen_at, before_snoozed_until,
               read_at, archived_at, seen_at, snoozed_until
          FROM changed)
      SELECT * FROM changed`;
    await announce(tx, userId, changed);
    return { updated: changed.length, undo_token: changed.length > 0 ? token : null };
  });
}

/** The field each action is about: an undo applies to a row only while it still holds what the action set. */
const ACTION_FIELD: Record<BulkAction, 'read_at' | 'archived_at' | 'seen_at' | 'snoozed_until'> = {
  read: 'read_at',
  unread: 'read_at',
  archive: 'archived_at',
  unarchive: 'archived_at',
  seen: 'seen_at',
  snooze: 'snoozed_until',
};

/**
 * Takes a bulk change back, once. A row comes back only while it still holds what the change
 * set (a read still read, an archive still archived): an entry the user changed again since,
 * on any device, keeps that later decision. Only what the change touched comes back (an entry
 * archived since stays archived when a "read" is undone). Two undos of one token at once: the
 * token is claimed in one statement, so exactly one applies and the other is told it was used.
 */
export function undoBulkUpdate(db: Db, inbox: Inbox, token: string) {
  const { userId } = inbox;
  return inTransaction(db, async (tx) => {
    await lockStreams(tx, [userId]);
    const hash = hashToken(token);
    const scope = inbox.workspaceId ?? null;
    const [claimed] = await tx.$queryRaw<{ id: string; action: BulkAction }[]>`
      UPDATE notification_bulk_undos SET used_at = now()
       WHERE token_hash = ${hash} AND user_id = ${userId}::uuid AND used_at IS NULL AND expires_at > now()
         AND (${scope}::uuid IS NULL OR workspace_id = ${scope}::uuid)
      RETURNING id, action`;
    if (!claimed) {
      const [known] = await tx.$queryRaw<{ used: boolean }[]>`
        SELECT used_at IS NOT NULL AS used FROM notification_bulk_undos
         WHERE token_hash = ${hash} AND user_id = ${userId}::uuid AND expires_at > now()
           AND (${scope}::uuid IS NULL OR workspace_id = ${scope}::uuid)`;
      if (known?.used) throw conflict('This change was already undone.', 'already_undone');
      throw notFound('No such undo token, or it has expired.');
    }
    const same = (field: string) => Prisma.sql`${Prisma.raw(`r.${field}`)} IS NOT DISTINCT FROM ${Prisma.raw(`u.after_${field}`)}`;
    // Each field the change set goes back; one changed since (say, seen on another device) stays.
    const sets = ['read_at', 'archived_at', 'seen_at', 'snoozed_until'].map(
      (field) => Prisma.sql`${Prisma.raw(field)} = CASE WHEN ${same(field)} THEN ${Prisma.raw(`u.${field}`)} ELSE ${Prisma.raw(`r.${field}`)} END`,
    );
    const restored = await tx.$queryRaw<ChangedRow[]>`
      UPDATE notification_receipts r SET ${Prisma.join(sets, ', ')}
        FROM notification_bulk_undo_rows u
       WHERE u.undo_id = ${claimed.id}::uuid AND r.notification_id = u.notification_id AND r.user_id = ${userId}::uuid
         AND ${same(ACTION_FIELD[claimed.action])}
      RETURNING r.notification_id, r.workspace_id, r.read_at, r.archived_at, r.seen_at, r.snoozed_until`;
    // Its rows are no use once applied.
    await tx.$executeRaw`DELETE FROM notification_bulk_undo_rows WHERE undo_id = ${claimed.id}::uuid`;
    await announce(tx, userId, restored);
    return { restored: restored.length };
  });
}

/** Marks everything unread in the inbox (or one workspace of it) read, with an undo like any bulk change. */
export function markAllRead(db: Db, inbox: Inbox, workspaceId?: string) {
  return bulkUpdate(db, inbox, { action: 'read', filter: workspaceId ? { workspace_id: workspaceId } : {} });
}

function announce(tx: Prisma.TransactionClient, userId: string, rows: ChangedRow[]) {
  return appendStreamEvents(
    tx,
    rows.map((row) => ({
      userId,
      type: 'notification.updated' as const,
      data: updatedEventData(row.notification_id, row.workspace_id, {
        readAt: row.read_at,
        archivedAt: row.archived_at,
        seenAt: row.seen_at,
        snoozedUntil: row.snoozed_until,
      }),
    })),
  );
}
