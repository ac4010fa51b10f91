import { type Db, inTransaction, type Prisma } from '../../db/prisma.ts';
import { channelsFor, resolvePreferences } from '../../domain/preferences.ts';
import { badRequest } from '../../lib/errors.ts';
import { toNotificationItem } from '../../schemas/notifications.ts';
import { appendStreamEvents } from '../stream/append-stream-events.ts';

export interface NewNotification {
  workspaceId: string;
  /** Set: a personal notification for this member. Null: workspace-level, for its admins. */
  userId: string | null;
  type: string;
  title: string;
  body?: string;
  targetUrl?: string | null;
  meta?: Prisma.InputJsonObject;
  /** Defaults to now; set when importing history. */
  createdAt?: Date;
  /**
   * Repeats about the same thing share a key (`reply:<lead id>`, `job:<id>`): while the latest
   * notification with the key is recent and nobody has read or archived it, it is updated and
   * moved to the top instead of adding a row. Its `meta.count` says how many events it stands for.
   */
  groupKey?: string;
  /** Title and body once a grouped notification stands for `count` (> 1) events; default: the newest event's. */
  collapsedText?: (count: number) => { title: string; body: string };
}

/** How long an unread grouped notification keeps absorbing repeats after its last update. */
const GROUP_WINDOW_MS = 30 * 60 * 1000;

/**
 * The guide's `create_notification`: stores the notification, one inbox receipt per viewer
 * and a stream event per viewer, honouring each viewer's preferences (in-app off: no receipt;
 * email on: queued for the next digest). Pass the transaction of the change that caused it,
 * so both commit together and a rollback leaves no notification and emits nothing.
 */
export function createNotification(db: Db, input: NewNotification) {
  return inTransaction(db, async (tx) => {
    if (input.groupKey) {
      // One writer per group at a time: two concurrent repeats must not both start a new row.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${input.workspaceId}:${input.groupKey}`}))`;
      const collapsed = await collapseIntoLatest(tx, input);
      if (collapsed) return collapsed;
    }
    const candidates = await resolveRecipients(tx, input.workspaceId, input.userId);
    const channels = await recipientChannels(tx, candidates, input.type);
    // Someone who turned this type off in-app gets no receipt: it never reaches their inbox or stream.
    const recipients = candidates.filter((userId) => channels.get(userId)!.inApp);

    const notification = await tx.notification.create({
      data: {
        workspaceId: input.workspaceId,
        userId: input.userId,
        type: input.type,
        title: input.title,
        body: input.body ?? '',
        targetUrl: input.targetUrl ?? null,
        meta: input.groupKey ? { ...input.meta, count: 1 } : (input.meta ?? {}),
        groupKey: input.groupKey ?? null,
        createdAt: input.createdAt,
        updatedAt: input.createdAt,
      },
    });
    await tx.notificationReceipt.createMany({
      data: recipients.map((userId) => ({
        notificationId: notification.id,
        userId,
        workspaceId: input.workspaceId,
        createdAt: notification.createdAt,
      })),
    });
    await queueEmails(tx, notification.id, recipients.filter((userId) => channels.get(userId)!.email));
    const item = toNotificationItem(notification, { createdAt: notification.createdAt, readAt: null, archivedAt: null });
    await appendStreamEvents(
      tx,
      recipients.map((userId) => ({ userId, type: 'notification.created', data: item })),
    );
    return { notification: item, recipients, collapsed: false };
  });
}

/**
 * Updates the latest unread notification of the group, if any, and moves it to the top of
 * every recipient's inbox. Live clients get `notification.updated` carrying the whole item
 * (a superset of the usual `{id, read_at, archived_at}`), so they replace it in place without
 * counting it as a new unread one.
 */
async function collapseIntoLatest(tx: Prisma.TransactionClient, input: NewNotification) {
  const now = input.createdAt ?? new Date();
  const latest = await tx.notification.findFirst({
    where: {
      workspaceId: input.workspaceId,
      userId: input.userId,
      type: input.type,
      groupKey: input.groupKey,
      updatedAt: { gte: new Date(now.getTime() - GROUP_WINDOW_MS) },
      receipts: { some: {}, none: { OR: [{ readAt: { not: null } }, { archivedAt: { not: null } }] } },
    },
    orderBy: { updatedAt: 'desc' },
    select: { id: true, meta: true, receipts: { select: { userId: true } } },
  });
  if (!latest) return null;
  const count = Number((latest.meta as { count?: unknown }).count ?? 1) + 1;
  const text = input.collapsedText?.(count) ?? { title: input.title, body: input.body ?? '' };
  const notification = await tx.notification.update({
    where: { id: latest.id },
    data: { ...text, targetUrl: input.targetUrl ?? null, meta: { ...input.meta, count }, updatedAt: now },
  });
  await tx.notificationReceipt.updateMany({ where: { notificationId: latest.id }, data: { createdAt: now } });
  const recipients = latest.receipts.map((receipt) => receipt.userId);
  const channels = await recipientChannels(tx, recipients, input.type);
  await queueEmails(tx, latest.id, recipients.filter((userId) => channels.get(userId)!.email));
  const item = toNotificationItem(notification, { createdAt: now, readAt: null, archivedAt: null });
  await appendStreamEvents(
    tx,
    recipients.map((userId) => ({ userId, type: 'notification.updated', data: item })),
  );
  return { notification: item, recipients, collapsed: true };
}

/** Personal: the user, who must belong to the workspace. Workspace-level: its admins. */
async function resolveRecipients(tx: Prisma.TransactionClient, workspaceId: string, userId: string | null) {
  if (userId) {
    const membership = await tx.membership.findUnique({
      where: { workspaceId_userId: { workspaceId, userId } },
      select: { userId: true },
    });
    if (!membership) throw badRequest('The recipient is not a member of this workspace.', 'recipient_not_member');
    return [userId];
  }
  const admins = await tx.membership.findMany({ where: { workspaceId, role: 'admin' }, select: { userId: true } });
  return admins.map((admin) => admin.userId);
}

/** Per user: whether this type goes to their inbox, and whether it is mailed (a global mute silences mail too). */
async function recipientChannels(tx: Prisma.TransactionClient, userIds: string[], type: string) {
  const stored = await tx.notificationPreference.findMany({ where: { userId: { in: userIds } } });
  const byUser = new Map(stored.map((row) => [row.userId, row]));
  return new Map(
    userIds.map((userId) => {
      const preferences = resolvePreferences(byUser.get(userId) ?? null);
      const channels = channelsFor(preferences, type);
      return [userId, { inApp: channels.in_app, email: channels.email && !preferences.muted }];
    }),
  );
}

/** Queues the notification for each user's next digest, once: a pending entry already covers an update. */
async function queueEmails(tx: Prisma.TransactionClient, notificationId: string, userIds: string[]) {
  if (userIds.length === 0) return;
  const pending = await tx.emailOutbox.findMany({
    where: { notificationId, userId: { in: userIds }, sentAt: null },
    select: { userId: true },
  });
  const queued = new Set(pending.map((row) => row.userId));
  await tx.emailOutbox.createMany({
    data: userIds.filter((userId) => !queued.has(userId)).map((userId) => ({ notificationId, userId })),
  });
}
