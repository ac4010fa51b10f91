import { type Db, inTransaction, type Prisma } from '../../db/prisma.ts';
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
}

/**
 * The guide's `create_notification`: stores the notification, one inbox receipt per viewer
 * and a stream event per viewer. Pass the transaction of the change that caused it, so both
 * commit together and a rollback leaves no notification and emits nothing.
 */
export function createNotification(db: Db, input: NewNotification) {
  return inTransaction(db, async (tx) => {
    const recipients = await resolveRecipients(tx, input.workspaceId, input.userId);
    const notification = await tx.notification.create({
      data: {
        workspaceId: input.workspaceId,
        userId: input.userId,
        type: input.type,
        title: input.title,
        body: input.body ?? '',
        targetUrl: input.targetUrl ?? null,
        meta: input.meta ?? {},
        createdAt: input.createdAt,
        updatedAt: input.createdAt,
      },
    });
    const receipt = { createdAt: notification.createdAt, readAt: null, archivedAt: null };
    await tx.notificationReceipt.createMany({
      data: recipients.map((userId) => ({
        notificationId: notification.id,
        userId,
        workspaceId: input.workspaceId,
        createdAt: notification.createdAt,
      })),
    });
    const item = toNotificationItem(notification, receipt);
    await appendStreamEvents(
      tx,
      recipients.map((userId) => ({ userId, type: 'notification.created', data: item })),
    );
    return { notification: item, recipients };
  });
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
