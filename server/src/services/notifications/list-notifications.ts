import type { Db, Prisma } from '../../db/prisma.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
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
} satisfies Prisma.NotificationSelect;

/** The caller's inbox, newest first: personal notifications and, for admins, workspace-level ones. */
export async function listNotifications(db: Db, request: NotificationListRequest) {
  const where: Prisma.NotificationReceiptWhereInput = {
    userId: request.userId,
    workspaceId: request.workspaceId,
    archivedAt: request.archived ? { not: null } : null,
    ...(request.onlyUnread ? { readAt: null } : {}),
    ...(request.snoozed
      ? { snoozedUntil: { gt: new Date() } }
      : { OR: [{ snoozedUntil: null }, { snoozedUntil: { lte: new Date() } }] }),
    ...(request.types?.length ? { notification: { type: { in: request.types } } } : {}),
  };
  const cursor = request.cursor ? decodeCursor(request.cursor) : undefined;
  const rows = await db.notificationReceipt.findMany({
    where: cursor
      ? {
          AND: [
            where,
            { createdAt: { lte: cursor.createdAt } },
            { OR: [{ createdAt: { lt: cursor.createdAt } }, { notificationId: { lt: cursor.id } }] },
          ],
        }
      : where,
    select: { ...receiptStateSelect, notificationId: true, notification: { select: notificationSelect } },
    orderBy: [{ createdAt: 'desc' }, { notificationId: 'desc' }],
    take: request.limit + 1,
  });
  const page = rows.slice(0, request.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => toNotificationItem(row.notification, row)),
    page: 1,
    page_size: request.limit,
    next_cursor:
      rows.length > request.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.notificationId }) : null,
  };
}
