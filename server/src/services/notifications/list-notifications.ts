import { Prisma, type Db } from '../../db/prisma.ts';
import { sqlOf } from '../../db/sql.ts';
import { afterCursor, decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { toNotificationItem } from './notification-item.ts';

export interface NotificationListRequest {
  userId: string;
  onlyUnread: boolean;
  archived: boolean;
  /** true: only the snoozed ones; false: the others (snoozed ones are hidden until they wake). */
  snoozed?: boolean;
  workspaceId?: string;
  types?: string[];
  limit: number;
  cursor?: string;
}

/** The viewer's own state of an inbox entry, as every item shows it. */
export const receiptStateSelect = {
  createdAt: true,
  readAt: true,
  archivedAt: true,
  seenAt: true,
  snoozedUntil: true,
  reason: true,
} satisfies Prisma.NotificationReceiptSelect;

export const notificationSelect = {
  id: true,
  workspaceId: true,
  userId: true,
  type: true,
  title: true,
  body: true,
  targetUrl: true,
  meta: true,
  createdAt: true,
  claimedAt: true,
  escalatedAt: true,
  claimedBy: { select: { id: true, name: true } },
} satisfies Prisma.NotificationSelect;

/** A receipt joined to its notification, as the inbox statements select it (INBOX_COLUMNS). */
export interface InboxRow {
  created_at: Date;
  read_at: Date | null;
  archived_at: Date | null;
  seen_at: Date | null;
  snoozed_until: Date | null;
  reason: string;
  id: string;
  workspace_id: string;
  user_id: string | null;
  type: string;
  title: string;
  body: string;
  target_url: string | null;
  meta: unknown;
  notification_created_at: Date;
  claimed_by_id: string | null;
  claimed_by_name: string | null;
  claimed_at: Date | null;
  escalated_at: Date | null;
}

/** The columns of an InboxRow, from receipts `r`, notifications `n` and the claimer `claimer`. */
export const INBOX_COLUMNS = `r.created_at, r.read_at, r.archived_at, r.seen_at, r.snoozed_until, r.reason, n.id, n.workspace_id, n.user_id, n.type, n.title, n.body, n.target_url, n.meta,
           n.created_at AS notification_created_at, n.claimed_by_id, claimer.name AS claimed_by_name, n.claimed_at, n.escalated_at`;

/** An inbox row as the API's item. */
export function inboxItem(row: InboxRow) {
  return toNotificationItem(
    {
      id: row.id,
      workspaceId: row.workspace_id,
      userId: row.user_id,
      type: row.type,
      title: row.title,
      body: row.body,
      targetUrl: row.target_url,
      meta: row.meta,
      createdAt: row.notification_created_at,
      claimedBy: row.claimed_by_id ? { id: row.claimed_by_id, name: row.claimed_by_name ?? '' } : null,
      claimedAt: row.claimed_at,
      escalatedAt: row.escalated_at,
    },
    {
      createdAt: row.created_at,
      readAt: row.read_at,
      archivedAt: row.archived_at,
      seenAt: row.seen_at,
      snoozedUntil: row.snoozed_until,
      reason: row.reason,
    },
  );
}

/**
 * What a list with these filters holds (receipts `r` joined to notifications `n`): the bulk
 * actions' "everything matching" uses the same conditions, so it changes exactly what the list shows.
 */
export function inboxConditions(request: Omit<NotificationListRequest, 'limit' | 'cursor'>): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [Prisma.sql`r.user_id = ${request.userId}::uuid`];
  if (request.workspaceId) conditions.push(Prisma.sql`r.workspace_id = ${request.workspaceId}::uuid`);
  conditions.push(request.archived ? Prisma.sql`r.archived_at IS NOT NULL` : Prisma.sql`r.archived_at IS NULL`);
  // Unread as the counts have it: an entry another admin claimed is theirs to handle (the full
  // list still shows it, with who claimed it).
  if (request.onlyUnread) conditions.push(Prisma.sql`r.read_at IS NULL AND NOT r.claimed_elsewhere`);
  // Snoozed entries are hidden until their time, and listed on their own with `snoozed`.
  conditions.push(
    request.snoozed
      ? Prisma.sql`r.snoozed_until > now()`
      : Prisma.sql`(r.snoozed_until IS NULL OR r.snoozed_until <= now())`,
  );
  if (request.types?.length) conditions.push(Prisma.sql`n.type = ANY(${request.types}::text[])`);
  return conditions;
}

/**
 * The caller's inbox, newest first: personal notifications and, for admins, workspace-level
 * ones. One statement (receipts joined to their notifications): the unread list walks the
 * partial index of unread receipts, the full list the (user, created_at) one, so a page costs
 * the same however many rows are read, unread or deeper.
 */
export async function listNotifications(db: Db, request: NotificationListRequest) {
  const cursor = request.cursor ? decodeCursor(request.cursor) : undefined;
  const conditions = inboxConditions(request);
  if (cursor) conditions.push(afterCursor(cursor, Prisma.sql`r.created_at`, Prisma.sql`r.notification_id`));
  const statement = Prisma.sql`
    SELECT ${Prisma.raw(INBOX_COLUMNS)}
      FROM notification_receipts r
      JOIN notifications n ON n.id = r.notification_id
      LEFT JOIN users claimer ON claimer.id = n.claimed_by_id
     WHERE ${Prisma.join(conditions, ' AND ')}
     ORDER BY r.created_at DESC, r.notification_id DESC
     LIMIT ${request.limit + 1}`;
  // On the plain pg pool: the bell lists on every open, and Prisma's raw query cost ~1 ms of CPU.
  const rows = await sqlOf(db).query<InboxRow>(statement.text, statement.values);
  const page = rows.slice(0, request.limit);
  const last = page.at(-1);
  return {
    items: page.map(inboxItem),
    page: 1,
    page_size: request.limit,
    next_cursor: rows.length > request.limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
  };
}
