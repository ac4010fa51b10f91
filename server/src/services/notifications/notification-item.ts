import { absoluteTargetUrl } from '../../domain/links.ts';

export interface NotificationRow {
  id: string;
  workspaceId: string;
  userId: string | null;
  type: string;
  title: string;
  body: string;
  targetUrl: string | null;
  meta: unknown;
  /** When the notification itself was made; its receipt's createdAt moves when a snooze ends or a repeat folds in. */
  createdAt?: Date;
  /** Workspace-level only: who took it on, and when; left out: nobody. */
  claimedBy?: { id: string; name: string } | null;
  claimedAt?: Date | null;
  escalatedAt?: Date | null;
}

export interface ReceiptRow {
  createdAt: Date;
  readAt: Date | null;
  archivedAt: Date | null;
  seenAt: Date | null;
  snoozedUntil: Date | null;
  reason: string;
}

/** A notification as one viewer sees it: read and archived state are that viewer's own. */
export const toNotificationItem = (notification: NotificationRow, receipt: ReceiptRow) => ({
  id: notification.id,
  workspace_id: notification.workspaceId,
  user_id: notification.userId,
  type: notification.type,
  title: notification.title,
  body: notification.body,
  target_url: absoluteTargetUrl(notification.targetUrl),
  meta: (notification.meta ?? {}) as Record<string, unknown>,
  read_at: receipt.readAt?.toISOString() ?? null,
  archived_at: receipt.archivedAt?.toISOString() ?? null,
  seen_at: receipt.seenAt?.toISOString() ?? null,
  snoozed_until: receipt.snoozedUntil?.toISOString() ?? null,
  reason: receipt.reason,
  created_at: receipt.createdAt.toISOString(),
  claimed_by: notification.claimedBy ? { id: notification.claimedBy.id, name: notification.claimedBy.name } : null,
  claimed_at: notification.claimedAt?.toISOString() ?? null,
  escalated_at: notification.escalatedAt?.toISOString() ?? null,
  first_arrived_at: (notification.createdAt && notification.createdAt < receipt.createdAt ? notification.createdAt : receipt.createdAt).toISOString(),
});
