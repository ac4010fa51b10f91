import { type Db, inTransaction, type Prisma } from '../../db/prisma.ts';
import { entityKeyOf } from '../../domain/mutes.ts';
import { channelsFor, resolvePreferences } from '../../domain/preferences.ts';
import { type Audience, reasonFor } from '../../domain/reasons.ts';
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
  /** Why the user of a personal notification gets it ("You own this lead"). */
  reason?: string;
  /** With `userId` null: the workspace's admins (default), or the super admins (critical events). */
  audience?: 'admins' | 'super_admins';
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
    const candidates = await resolveRecipients(tx, input);
    // Someone who turned this type off in-app, or muted it or its subject, gets no receipt: it
    // never reaches their inbox, stream, toasts or mail.
    const delivered = candidates.filter((candidate) => candidate.inApp && !candidate.muted);
    const recipients = delivered.map((candidate) => candidate.userId);
    const reasons = delivered.map((candidate) => candidate.reason);

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
        INSERT INTO notification_receipts (notification_id, user_id, workspace_id, created_at, reason)
        SELECT n.id, recipient.user_id, n.workspace_id, n.created_at, recipient.reason
          FROM n, unnest(${recipients}::uuid[], ${reasons}::text[]) AS recipient(user_id, reason))
      SELECT id, workspace_id, user_id, type, title, body, target_url, meta, created_at FROM n`;
    const row = notification!;
    await queueEmails(
      tx,
      row.id,
      delivered.filter((candidate) => candidate.email).map((candidate) => candidate.userId),
    );
    const itemFor = (reason: string) => toNotificationItem(
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
      { createdAt: row.created_at, readAt: null, archivedAt: null, seenAt: null, snoozedUntil: null, reason },
    );
    await appendStreamEvents(
      tx,
      delivered.map(({ userId, reason }) => ({ userId, type: 'notification.created', data: itemFor(reason) })),
    );
    return { notification: itemFor(delivered[0]?.reason ?? ''), recipients, collapsed: false };
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
    select: { id: true, meta: true, receipts: { select: { userId: true, reason: true } } },
  });
  if (!latest) return null;
  const count = Number((latest.meta as { count?: unknown }).count ?? 1) + 1;
  const text = input.collapsedText?.(count) ?? { title: input.title, body: input.body ?? '' };
  const notification = await tx.notification.update({
    where: { id: latest.id },
    data: { ...text, targetUrl: input.targetUrl ?? null, meta: { ...input.meta, count }, updatedAt: now },
  });
  // Those who muted the group since keep the entry where it was, unannounced.
  const muted = await mutedUsers(
    tx,
    latest.receipts.map((receipt) => receipt.userId),
    input.type,
    entityKeyOf(input.meta),
  );
  const receipts = latest.receipts.filter((receipt) => !muted.has(receipt.userId));
  const recipients = receipts.map((receipt) => receipt.userId);
  // Back at the top and new again: a repeat is news even to whoever had seen the first one.
  await tx.notificationReceipt.updateMany({
    where: { notificationId: latest.id, userId: { in: recipients } },
    data: { createdAt: now, seenAt: null },
  });
  const stored = await tx.notificationPreference.findMany({
    where: { userId: { in: recipients } },
    select: { userId: true, muted: true, types: true },
  });
  const byUser = new Map(stored.map((row) => [row.userId, row]));
  await queueEmails(tx, latest.id, recipients.filter((userId) => channelsOf(byUser.get(userId) ?? null, input.type).email));
  const itemFor = (reason: string) =>
    toNotificationItem(notification, { createdAt: now, readAt: null, archivedAt: null, seenAt: null, snoozedUntil: null, reason });
  await appendStreamEvents(
    tx,
    receipts.map(({ userId, reason }) => ({ userId, type: 'notification.updated', data: itemFor(reason) })),
  );
  return { notification: itemFor(receipts[0]?.reason ?? ''), recipients, collapsed: true };
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
  /** Why they get it, in plain words. */
  reason: string;
  /** They muted this type or what it is about. */
  muted: boolean;
  /** The type goes to their inbox (and stream). */
  inApp: boolean;
  /** The type is mailed in their digest (a global mute silences mail too). */
  email: boolean;
}

/**
 * Personal: the user, who must belong to the workspace. Workspace-level: its admins, or for
 * critical events the super admins. Each with the channels their preferences give this type,
 * whether they muted it, and the reason they get it, read in the same query.
 */
async function resolveRecipients(tx: Prisma.TransactionClient, input: NewNotification): Promise<Recipient[]> {
  const { workspaceId, userId, type } = input;
  const audience: Audience = userId ? 'personal' : (input.audience ?? 'admins');
  const entityKey = entityKeyOf(input.meta);
  const rows = await tx.$queryRaw<
    { user_id: string; muted: boolean | null; types: unknown; workspace_name: string; silenced: boolean }[]
  >`
    SELECT r.user_id, p.muted, p.types, w.name AS workspace_name,
           EXISTS (SELECT 1 FROM notification_mutes mu
                    WHERE mu.user_id = r.user_id
                      AND ((mu.scope = 'type' AND mu.key = ${type}) OR (mu.scope = 'entity' AND mu.key = ${entityKey}))) AS silenced
      FROM (SELECT m.user_id FROM memberships m
             WHERE ${audience} <> 'super_admins' AND m.workspace_id = ${workspaceId}::uuid
               AND (CASE WHEN ${userId}::uuid IS NULL THEN m.role = 'admin' ELSE m.user_id = ${userId}::uuid END)
            UNION
            SELECT u.id FROM users u WHERE ${audience} = 'super_admins' AND u.is_super_admin) r
      JOIN workspaces w ON w.id = ${workspaceId}::uuid
      LEFT JOIN notification_preferences p ON p.user_id = r.user_id`;
  if (userId && rows.length === 0) {
    throw badRequest('The recipient is not a member of this workspace.', 'recipient_not_member');
  }
  // No preferences row (LEFT JOIN gives nulls): the defaults.
  return rows.map((row) => ({
    userId: row.user_id,
    reason: reasonFor(audience, row.workspace_name, input.reason),
    muted: row.silenced,
    ...channelsOf(row.muted == null ? null : (row as PreferenceRow), type),
  }));
}

/** Those of `userIds` who muted this type or its subject. */
async function mutedUsers(tx: Prisma.TransactionClient, userIds: string[], type: string, entityKey: string | null) {
  if (userIds.length === 0) return new Set<string>();
  const rows = await tx.notificationMute.findMany({
    where: {
      userId: { in: userIds },
      OR: [{ scope: 'type', key: type }, ...(entityKey ? [{ scope: 'entity', key: entityKey }] : [])],
    },
    select: { userId: true },
  });
  return new Set(rows.map((row) => row.userId));
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
