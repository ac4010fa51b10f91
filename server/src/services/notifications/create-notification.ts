import type { Db } from '../../db/prisma.ts';
import { type Sql, sqlOf, withTransaction } from '../../db/sql.ts';
import type { NewNotification } from '../../domain/notifications.ts';
import { entityKeyOf } from '../../domain/mutes.ts';
import { channelsFor, isLocked } from '../../domain/preferences.ts';
import { type Audience, reasonFor } from '../../domain/reasons.ts';
import { badRequest } from '../../lib/errors.ts';
import { APPEND_STREAM_EVENTS, lockStreams } from '../../stream/append-stream-events.ts';
import { announceStreamHeads, parseHeads } from '../../stream/wake-ups.ts';
import { toNotificationItem } from './notification-item.ts';

/** How long an unread grouped notification keeps absorbing repeats after its last update. */
const GROUP_WINDOW_MS = 30 * 60 * 1000;

/**
 * Stores the notification, one inbox receipt per viewer
 * and a stream event per viewer, honouring each viewer's preferences (in-app off: no receipt;
 * email on: queued for the next digest). Pass the transaction of the change that caused it,
 * so both commit together and a rollback leaves no notification and emits nothing. Live
 * streams are woken once it has committed (wake-ups.ts).
 */
export async function createNotification(db: Db | Sql, input: NewNotification) {
  const { heads, ...created } = await writeNotification(db, input);
  // On a client (not a transaction) the statement, or the transaction of its own, has
  // committed by now; a caller's transaction may still be open.
  announceStreamHeads(parseHeads(heads), '$transaction' in db);
  return created;
}

function writeNotification(db: Db | Sql, input: NewNotification) {
  const sql = sqlOf(db);
  if (!input.groupKey) return insertNotification(sql, input);
  // Grouping reads, then writes: it needs a transaction (the caller's, or one of its own).
  if ('$transaction' in db) return withTransaction(db, (tx) => createGrouped(tx, input));
  return createGrouped(sql, input);
}

async function createGrouped(tx: Sql, input: NewNotification) {
  // One writer per group at a time: two concurrent repeats must not both start a new row.
  await tx.query('SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext($1))', [`${input.workspaceId}:${input.groupKey}`], 'notification-group-lock');
  return (await collapseIntoLatest(tx, input)) ?? insertNotification(tx, input);
}

/**
 * A new notification in two statements: who gets it (with their preferences), then one
 * statement that writes the notification, the receipts, the digest queue entries and the
 * stream events. That statement is atomic on its own, so a caller without
 * a transaction needs none; it only writes receipts for people still in the workspace, so a
 * member removed between the two statements gets nothing.
 */
async function insertNotification(sql: Sql, input: NewNotification) {
  const candidates = await resolveRecipients(sql, input);
  // Someone who turned this type off in-app, or muted it or its subject, gets no receipt: it
  // never reaches their inbox, stream, toasts or mail.
  const delivered = candidates.filter((candidate) => candidate.inApp && !candidate.muted);
  const inApp = delivered.map((candidate) => candidate.userId);
  const reasons = delivered.map((candidate) => candidate.reason);
  // An alert rule's email channel mails whatever the recipient's email preference.
  const email = delivered.filter((candidate) => candidate.email || input.email === true).map((candidate) => candidate.userId);
  const meta = (input.groupKey ? { ...input.meta, count: 1 } : (input.meta ?? {})) as Record<string, unknown>;
  const itemOf = (id: string, createdAt: Date, reason = '') =>
    toNotificationItem(
      {
        id,
        workspaceId: input.workspaceId,
        userId: input.userId,
        type: input.type,
        title: input.title,
        body: input.body ?? '',
        targetUrl: input.targetUrl ?? null,
        meta,
      },
      { createdAt, readAt: null, archivedAt: null, seenAt: null, snoozedUntil: null, reason },
    );
  // The stream event is this item with the id, time and reason each row gets (set in SQL).
  const template = itemOf('', new Date(0));
  const [row] = await sql.query<{ id: string; created_at: Date; recipients: string[]; heads: string | null }>(
    INSERT_NOTIFICATION,
    [
      input.workspaceId,
      input.userId,
      input.type,
      input.title,
      input.body ?? '',
      input.targetUrl ?? null,
      JSON.stringify(meta),
      input.groupKey ?? null,
      input.createdAt ?? null,
      inApp,
      email,
      JSON.stringify(template),
      reasons,
      input.userId ? 'personal' : (input.audience ?? 'admins'),
    ],
    'insert-notification',
  );
  return {
    notification: itemOf(row!.id, row!.created_at, reasons[0] ?? ''),
    recipients: row!.recipients,
    collapsed: false,
    heads: row!.heads,
  };
}

const INSERT_NOTIFICATION = `
  WITH created AS (
    INSERT INTO notifications (workspace_id, user_id, type, title, body, target_url, meta, group_key, created_at, updated_at)
    VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7::jsonb, $8, coalesce($9::timestamptz, now()), coalesce($9::timestamptz, now()))
    RETURNING id, workspace_id, created_at, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at),
  -- Still members (or, for critical events, still super admins), each with their reason.
  members AS (
    SELECT x.user_id, x.reason FROM unnest($10::uuid[], $13::text[]) AS x(user_id, reason)
     WHERE CASE WHEN $14 = 'super_admins' THEN EXISTS (SELECT 1 FROM users u WHERE u.id = x.user_id AND u.is_super_admin)
                ELSE EXISTS (SELECT 1 FROM memberships m WHERE m.workspace_id = $1::uuid AND m.user_id = x.user_id)
                   -- Super admins belong to no workspace yet may be told about any (alert rules name them).
                   OR EXISTS (SELECT 1 FROM users u WHERE u.id = x.user_id AND u.is_super_admin) END),
  receipts AS (
    INSERT INTO notification_receipts (notification_id, user_id, workspace_id, created_at, reason)
    SELECT c.id, m.user_id, c.workspace_id, c.created_at, m.reason FROM created c, members m
    RETURNING user_id, reason),
  mail AS (
    INSERT INTO email_outbox (notification_id, user_id)
    SELECT c.id, m.user_id FROM created c, members m WHERE m.user_id = ANY($11::uuid[])),
  input AS (
    SELECT r.user_id, 1 AS ordinal, 'notification.created'::text AS type,
           ($12::jsonb || jsonb_build_object('id', c.id, 'reason', r.reason, 'created_at', c.at, 'first_arrived_at', c.at))::text AS data
      FROM created c, receipts r),
  ${APPEND_STREAM_EVENTS}
  SELECT c.id, c.created_at, coalesce((SELECT array_agg(user_id) FROM receipts), '{}') AS recipients,
         (SELECT heads FROM appended) AS heads
    FROM created c`;

/**
 * Updates the latest unread notification of the group, if any, and moves it to the top of
 * every recipient's inbox. Live clients get `notification.updated` carrying the whole item
 * (a superset of the usual `{id, read_at, archived_at}`), so they replace it in place without
 * counting it as a new unread one. Runs under the group's lock (createGrouped).
 */
async function collapseIntoLatest(tx: Sql, input: NewNotification) {
  const now = input.createdAt ?? new Date();
  // Unread and unarchived by everyone who has it, with each recipient's preferences.
  const entityKey = entityKeyOf(input.meta);
  // Those who muted the group since keep their entry where it was, unannounced.
  const [latest] = await tx.query<{
    id: string;
    meta: unknown;
    created_at: Date;
    recipients: { user_id: string; muted: boolean | null; types: unknown; workspace_types: unknown; reason: string; silenced: boolean }[];
  }>(
    `SELECT n.id, n.meta, n.created_at,
            (SELECT json_agg(json_build_object('user_id', r.user_id, 'muted', p.muted, 'types', p.types, 'reason', r.reason,
                     'workspace_types', ${WORKSPACE_TYPES_OF('r.user_id', '$1::uuid')},
                     'silenced', notification_muted(r.user_id, $3, $6)))
               FROM notification_receipts r LEFT JOIN notification_preferences p ON p.user_id = r.user_id
              WHERE r.notification_id = n.id) AS recipients
       FROM notifications n
      WHERE n.workspace_id = $1::uuid AND n.user_id IS NOT DISTINCT FROM $2::uuid AND n.type = $3 AND n.group_key = $4
        AND n.updated_at >= $5::timestamptz
        AND EXISTS (SELECT 1 FROM notification_receipts r WHERE r.notification_id = n.id)
        AND NOT EXISTS (SELECT 1 FROM notification_receipts r
                         WHERE r.notification_id = n.id AND (r.read_at IS NOT NULL OR r.archived_at IS NOT NULL))
      ORDER BY n.updated_at DESC
      LIMIT 1`,
    [input.workspaceId, input.userId, input.type, input.groupKey, new Date(now.getTime() - GROUP_WINDOW_MS), entityKey],
    'notification-group-latest',
  );
  if (!latest) return null;
  // Stream locks before receipt locks, the order every writer of receipts follows.
  await lockStreams(tx, latest.recipients.map((row) => row.user_id));
  // Lock its receipts, then check "unread" again: a read or archive (PATCH, mark-all-read)
  // either committed before and is seen here, or waits for this transaction and applies after
  // the repeat. The plain read above would let a repeat land in a notification just read.
  const locked = await tx.query<{ read_at: Date | null; archived_at: Date | null }>(
    'SELECT read_at, archived_at FROM notification_receipts WHERE notification_id = $1::uuid ORDER BY user_id FOR UPDATE',
    [latest.id],
    'notification-group-receipts-lock',
  );
  if (locked.length === 0 || locked.some((receipt) => receipt.read_at || receipt.archived_at)) return null;
  const count = Number((latest.meta as { count?: unknown }).count ?? 1) + 1;
  const text = input.collapsedText?.(count) ?? { title: input.title, body: input.body ?? '' };
  const meta = { ...input.meta, count };
  const item = toNotificationItem(
    {
      id: latest.id,
      workspaceId: input.workspaceId,
      userId: input.userId,
      type: input.type,
      title: text.title,
      body: text.body,
      targetUrl: input.targetUrl ?? null,
      meta,
      createdAt: latest.created_at,
    },
    { createdAt: now, readAt: null, archivedAt: null, seenAt: null, snoozedUntil: null, reason: '' },
  );
  const audience = latest.recipients.filter((row) => !(row.silenced && !isLocked(row.workspace_types, input.type)));
  const recipients = audience.map((row) => row.user_id);
  const email = audience.filter((row) => channelsOf(row, input.type).email).map((row) => row.user_id);
  const [row] = await tx.query<{ heads: string | null }>(
    `WITH updated AS (
       UPDATE notifications SET title = $2, body = $3, target_url = $4, meta = $5::jsonb, updated_at = $6::timestamptz
        WHERE id = $1::uuid RETURNING id),
     -- Back at the top and new again: a repeat is news even to whoever had seen the first one.
     receipts AS (
       UPDATE notification_receipts SET created_at = $6::timestamptz, seen_at = NULL
        WHERE notification_id = $1::uuid AND user_id = ANY($9::uuid[]) RETURNING user_id, reason),
     -- Once per user's next digest: a pending entry already covers an update.
     mail AS (
       INSERT INTO email_outbox (notification_id, user_id)
       SELECT $1::uuid, u FROM unnest($7::uuid[]) AS u
        WHERE NOT EXISTS (SELECT 1 FROM email_outbox o WHERE o.notification_id = $1::uuid AND o.user_id = u AND o.sent_at IS NULL)),
     input AS (SELECT r.user_id, 1 AS ordinal, 'notification.updated'::text AS type,
                      ($8::jsonb || jsonb_build_object('reason', r.reason))::text AS data FROM receipts r),
     ${APPEND_STREAM_EVENTS}
     SELECT (SELECT count(*) FROM updated)::int AS updated, (SELECT heads FROM appended) AS heads`,
    [latest.id, text.title, text.body, input.targetUrl ?? null, JSON.stringify(meta), now, email, JSON.stringify(item), recipients],
    'notification-group-update',
  );
  return { notification: { ...item, reason: audience[0]?.reason ?? '' }, recipients, collapsed: true, heads: row?.heads ?? null };
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
async function resolveRecipients(sql: Sql, input: NewNotification): Promise<Recipient[]> {
  const { workspaceId, userId, type } = input;
  const audience: Audience = userId ? 'personal' : (input.audience ?? 'admins');
  const rows = await sql.query<RecipientRow & { workspace_name: string }>(
    `SELECT r.user_id, p.muted, p.types, w.name AS workspace_name,
            ${WORKSPACE_TYPES_OF('r.user_id', '$1::uuid')} AS workspace_types,
            notification_muted(r.user_id, $4, $5) AS silenced
       FROM (SELECT m.user_id FROM memberships m
              WHERE $3 <> 'super_admins' AND m.workspace_id = $1::uuid
                AND (CASE WHEN $2::uuid IS NULL THEN m.role = 'admin' ELSE m.user_id = $2::uuid END)
             UNION
             SELECT u.id FROM users u WHERE $3 = 'super_admins' AND u.is_super_admin
             UNION
             -- Super admins belong to no workspace yet may be told about any (alert rules name them).
             SELECT u.id FROM users u WHERE $2::uuid IS NOT NULL AND u.id = $2::uuid AND u.is_super_admin) r
       JOIN workspaces w ON w.id = $1::uuid
       LEFT JOIN notification_preferences p ON p.user_id = r.user_id
      -- In id order, like every other lock on a user's rows (receipts' counters, stream numbers):
      -- concurrent notifications then never wait on each other in a cycle.
      ORDER BY r.user_id`,
    [workspaceId, userId, audience, type, entityKeyOf(input.meta)],
    'notification-recipients',
  );
  if (userId && rows.length === 0) {
    throw badRequest('The recipient is not a member of this workspace.', 'recipient_not_member');
  }
  return rows.map((row) => ({
    userId: row.user_id,
    reason: reasonFor(audience, row.workspace_name, input.reason),
    // A type the workspace locked on cannot be muted, not even by a mute set before the lock.
    muted: row.silenced && !isLocked(row.workspace_types, type),
    ...channelsOf(row, type),
  }));
}

/** The workspace's defaults for a recipient who is a member of it (super admins outside it get the built-in ones). */
const WORKSPACE_TYPES_OF = (user: string, workspace: string) =>
  `(SELECT d.types FROM workspace_notification_defaults d
     WHERE d.workspace_id = ${workspace} AND EXISTS (SELECT 1 FROM memberships wm WHERE wm.workspace_id = ${workspace} AND wm.user_id = ${user}))`;

interface RecipientRow {
  user_id: string;
  /** Null: no preferences row (the defaults). */
  muted: boolean | null;
  types: unknown;
  workspace_types: unknown;
  silenced: boolean;
}

/** In-app from the type's channels; email also needs "mute everything" off. */
function channelsOf(row: Pick<RecipientRow, 'muted' | 'types' | 'workspace_types'>, type: string) {
  const channels = channelsFor(row.types, type, row.workspace_types);
  return { inApp: channels.in_app, email: channels.email && !row.muted };
}
