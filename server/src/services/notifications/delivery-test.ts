import type { DeliveryReport, DeliveryTest } from '@tray-notify/contract';
import { TEST_ALERT_TYPE, type DeliveryFailureReason } from '@tray-notify/contract/lists';
import type { Db } from '../../db/prisma.ts';
import { sqlOf } from '../../db/sql.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import type { AuthContext, Inbox } from '../../domain/auth-context.ts';
import { createNotification } from './create-notification.ts';
import { notificationSelect, receiptStateSelect } from './list-notifications.ts';
import { toNotificationItem } from './notification-item.ts';


/**
 * "Send me a test alert": a real personal notification through the normal path (receipt,
 * stream event, toast), so each of the caller's clients can report whether it showed it.
 */
export async function sendTestAlert(db: Db, auth: AuthContext): Promise<DeliveryTest> {
  if (!auth.workspaceId) throw forbidden('A test alert is sent in your current workspace: choose one first.');
  const { notification, recipients } = await createNotification(db, {
    workspaceId: auth.workspaceId,
    userId: auth.user.id,
    type: TEST_ALERT_TYPE,
    title: 'Test alert',
    body: 'You asked for this from Settings. If it popped up with a sound, alerts reach you here.',
    reason: 'You asked for a test alert',
    meta: { test: true },
  });
  if (!recipients.includes(auth.user.id)) throw forbidden('You muted test alerts: undo the mute in Settings to send one.');
  return { notification, reports: [] };
}

interface ReportRow {
  client: string;
  shown: boolean;
  reason: string | null;
  round_trip_ms: number;
  created_at: Date;
}

const toReport = (row: ReportRow): DeliveryReport => ({
  client: row.client,
  shown: row.shown,
  reason: row.reason as DeliveryFailureReason | null,
  round_trip_ms: row.round_trip_ms,
  reported_at: row.created_at.toISOString(),
});

/**
 * One client's word on a notification it received: toast shown or not, and why not. The round
 * trip runs from the notification's creation to this report on the server's clock (clients'
 * clocks may be off). One report per client: a later one replaces it. Only for the caller's
 * own inbox entries (404 otherwise), in one statement.
 */
export async function reportDelivery(
  db: Db,
  inbox: Inbox,
  notificationId: string,
  report: { client: string; shown: boolean; reason?: DeliveryFailureReason | null },
): Promise<DeliveryReport> {
  const [row] = await sqlOf(db).query<ReportRow>(
    `INSERT INTO notification_delivery_reports (notification_id, user_id, client, shown, reason, round_trip_ms, created_at)
     SELECT r.notification_id, r.user_id, $3, $4, $5,
            least(greatest(0, round(extract(epoch FROM clock_timestamp() - n.created_at) * 1000)), 2147483647)::int, clock_timestamp()
       FROM notification_receipts r JOIN notifications n ON n.id = r.notification_id
      WHERE r.notification_id = $1::uuid AND r.user_id = $2::uuid AND ($6::uuid IS NULL OR r.workspace_id = $6::uuid)
     ON CONFLICT (notification_id, user_id, client)
     DO UPDATE SET shown = excluded.shown, reason = excluded.reason, round_trip_ms = excluded.round_trip_ms, created_at = excluded.created_at
     RETURNING client, shown, reason, round_trip_ms, created_at`,
    [notificationId, inbox.userId, report.client, report.shown, report.reason ?? null, inbox.workspaceId ?? null],
    'delivery-report',
  );
  if (!row) throw notFound('No such notification.');
  return toReport(row);
}

/** The test (or any received) notification with what the caller's clients reported so far. */
export async function deliveryReports(db: Db, inbox: Inbox, notificationId: string): Promise<DeliveryTest> {
  const receipt = await db.notificationReceipt.findFirst({
    where: { notificationId, userId: inbox.userId, ...(inbox.workspaceId ? { workspaceId: inbox.workspaceId } : {}) },
    select: { ...receiptStateSelect, notification: { select: notificationSelect } },
  });
  if (!receipt) throw notFound('No such notification.');
  const reports = await sqlOf(db).query<ReportRow>(
    `SELECT client, shown, reason, round_trip_ms, created_at FROM notification_delivery_reports
      WHERE notification_id = $1::uuid AND user_id = $2::uuid ORDER BY created_at, client`,
    [notificationId, inbox.userId],
    'delivery-reports',
  );
  return { notification: toNotificationItem(receipt.notification, receipt), reports: reports.map(toReport) };
}
