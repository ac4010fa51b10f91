import { Type } from 'typebox';
import { Uuid } from './common.ts';

export { NotificationItem, UnreadCount } from '@tray-notify/contract';

export const NotificationListQuery = Type.Object(
  {
    only_unread: Type.Optional(Type.Boolean({ default: false })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    archived: Type.Optional(
      Type.Boolean({ default: false, description: 'true: the archived notifications (left out otherwise)' }),
    ),
    workspace_id: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

export const NotificationPatch = Type.Object(
  { read: Type.Optional(Type.Boolean()), archived: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);

export const MarkAllReadBody = Type.Union([
  Type.Object({ workspace_id: Type.Optional(Uuid) }, { additionalProperties: false }),
  Type.Null(),
]);

export interface NotificationRow {
  id: string;
  workspaceId: string;
  userId: string | null;
  type: string;
  title: string;
  body: string;
  targetUrl: string | null;
  meta: unknown;
}

export interface ReceiptRow {
  createdAt: Date;
  readAt: Date | null;
  archivedAt: Date | null;
}

/** A notification as one viewer sees it: read and archived state are that viewer's own. */
export const toNotificationItem = (notification: NotificationRow, receipt: ReceiptRow) => ({
  id: notification.id,
  workspace_id: notification.workspaceId,
  user_id: notification.userId,
  type: notification.type,
  title: notification.title,
  body: notification.body,
  target_url: notification.targetUrl,
  meta: (notification.meta ?? {}) as Record<string, unknown>,
  read_at: receipt.readAt?.toISOString() ?? null,
  archived_at: receipt.archivedAt?.toISOString() ?? null,
  created_at: receipt.createdAt.toISOString(),
});
