import { type Db, inTransaction, type Prisma } from '../../db/prisma.ts';
import type { NewNotification } from '../../domain/notifications.ts';
import { channelsFor, resolvePreferences } from '../../domain/preferences.ts';
import { badRequest } from '../../lib/errors.ts';
import { appendStreamEvents } from '../../stream/append-stream-events.ts';
import { toNotificationItem } from './notification-item.ts';

/** How long an unread grouped notification keeps absorbing repeats after its last update. */
const GROUP_WINDOW_MS = 30 * 60 * 1000;

/**
 * Stores the notification, one inbox receipt per viewer
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
    const candidates = await resolveRecipients(tx, input.workspaceId, input.userId, input.type);
    // Someone who turned this type off in-app gets no receipt: it never reaches their inbox or stream.
    const recipients = candidates.filter((candidate) => candidate.inApp).map((candidate) => candidate.userId);

    // The notification and its receipts in one statement: this runs for every event of every flow.
    const [notification] = await tx.$queryRaw<NotificationRow[]>`
      WITH n AS (
        INSERT INTO notifications (workspace_id, user_id, type, title, body, target_url, meta, group_key, created_at, updated_at)
        VALUES (${input.workspaceId}::uuid, ${input.userId}::uuid, ${input.type}, ${input.title}, ${input.body ?? ''},
                ${input.targetUrl ?? null}, ${JSON.stringify(input.groupKey ? { ...input.meta, count: 1 } : (input.meta ?? {}))}::jsonb,
                ${input.groupKey ?? null}, coalesce(${input.createdAt ?? null}::timestamptz, now()),
                coalesce(${input.createdAt ?? null}::timestamptz, now()))
        RETURNING id, workspace_id, user_id, type, title, body, target_url, meta, created_at),
      r AS (
        INSERT INTO notification_receipts (notification_id, user_id, workspace_id, created_at)
        SELECT n.id, recipient, n.workspace_id, n.created_at FROM n, unnest(${recipients}::uuid[]) AS recipient)
      SELECT id, workspace_id, user_id, type, title, body, target_url, meta, created_at FROM n`;
    const row = notification!;
    await queueEmails(
      tx,
      row.id,
      candidates.filter((candidate) => candidate.inApp && candidate.email).map((candidate) => candidate.userId),
    );
    const item = toNotificationItem(
      {
        id: row.id,
        workspaceId: row.workspace_id,
        userId: row.user_id,
        type: row.type,
        title: row.title,
        body: row.body,
        targetUrl: row.target_url,
        meta: row.meta,
      },
      { createdAt: row.created_at, readAt: null, archivedAt: null },
    );
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
  const stored = await tx.notificationPreference.findMany({
    where: { userId: { in: recipients } },
    select: { userId: true, muted: true, types: true },
  });
  const byUser = new Map(stored.map((row) => [row.userId, row]));
  await queueEmails(tx, latest.id, recipients.filter((userId) => channelsOf(byUser.get(userId) ?? null, input.type).email));
  const item = toNotificationItem(notification, { createdAt: now, readAt: null, archivedAt: null });
  await appendStreamEvents(
    tx,
    recipients.map((userId) => ({ userId, type: 'notification.updated', data: item })),
  );
  return { notification: item, recipients, collapsed: true };
}

interface NotificationRow {
  id: string;
  workspace_id: string;
  user_id: string | null;
  type: string;
  title: string;
  body: string;
  target_url: string | null;
  meta: unknown;
  created_at: Date;
}

interface Recipient {
  userId: string;
  /** The type goes to their inbox (and stream). */
  inApp: boolean;
  /** The type is mailed in their digest (a global mute silences mail too). */
  email: boolean;
}

/**
 * Personal: the user, who must belong to the workspace. Workspace-level: its admins. Each with
 * the channels their preferences give this type, read in the same query.
 */
async function resolveRecipients(
  tx: Prisma.TransactionClient,
  workspaceId: string,
  userId: string | null,
  type: string,
): Promise<Recipient[]> {
  let rows = await tx.$queryRaw<({ user_id: string } & { muted: boolean | null; types: unknown })[]>`
    SELECT m.user_id, p.muted, p.types
      FROM memberships m
      LEFT JOIN notification_preferences p ON p.user_id = m.user_id
     WHERE m.workspace_id = ${workspaceId}::uuid
       AND (CASE WHEN ${userId}::uuid IS NULL THEN m.role = 'admin' ELSE m.user_id = ${userId}::uuid END)`;
  if (userId && rows.length === 0) {
    // Super admins belong to no workspace yet may be told about any (alert rules name them).
    rows = await tx.$queryRaw`
      SELECT u.id AS user_id, p.muted, p.types
        FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id
       WHERE u.id = ${userId}::uuid AND u.is_super_admin`;
  }
  if (userId && rows.length === 0) {
    throw badRequest('The recipient is not a member of this workspace.', 'recipient_not_member');
  }
  // No preferences row (LEFT JOIN gives nulls): the defaults.
  return rows.map((row) => ({ userId: row.user_id, ...channelsOf(row.muted == null ? null : (row as PreferenceRow), type) }));
}

interface PreferenceRow {
  muted: boolean;
  types: unknown;
}

function channelsOf(stored: PreferenceRow | null, type: string) {
  const preferences = resolvePreferences(
    stored && { ...DEFAULT_STORED_QUIET_HOURS, muted: stored.muted, types: stored.types },
  );
  const channels = channelsFor(preferences, type);
  return { inApp: channels.in_app, email: channels.email && !preferences.muted };
}

/** Quiet hours do not decide who is notified (the desktop app holds toasts): any value will do here. */
const DEFAULT_STORED_QUIET_HOURS = { quietHoursEnabled: false, quietHoursStart: '22:00', quietHoursEnd: '07:00', timeZone: 'UTC' };

/** Queues the notification for each user's next digest, once: a pending entry already covers an update. */
export async function queueEmails(tx: Prisma.TransactionClient, notificationId: string, userIds: string[]) {
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
