import { type Db, inTransaction, type Prisma } from '../../db/prisma.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Inbox } from '../../domain/auth-context.ts';
import { appendStreamEvents, lockStreams } from '../../stream/append-stream-events.ts';
import { notificationSelect, receiptStateSelect } from './list-notifications.ts';
import { toNotificationItem } from './notification-item.ts';

/**
 * "I've got this": the caller takes on a workspace-level notification (one every admin holds).
 * The other holders' entries show who claimed it and leave their unread and unseen counts
 * (their toasts close on the state change); exactly one of concurrent claims wins, the others
 * get 409 with the holder. Claiming what one already holds is a no-op.
 */
export function claimNotification(db: Db, inbox: Inbox, notificationId: string) {
  return changeClaim(db, inbox, notificationId, 'claim');
}

/** Gives a claim back: everyone's entry is unclaimed and counts again. Only the holder can release. */
export function releaseNotification(db: Db, inbox: Inbox, notificationId: string) {
  return changeClaim(db, inbox, notificationId, 'release');
}

function changeClaim(db: Db, inbox: Inbox, notificationId: string, action: 'claim' | 'release') {
  const { userId } = inbox;
  return inTransaction(db, async (tx) => {
    const [target] = await tx.$queryRaw<{ user_id: string | null; workspace_id: string; title: string; holders: string[] }[]>`
      SELECT n.user_id, n.workspace_id, n.title,
             (SELECT array_agg(h.user_id ORDER BY h.user_id) FROM notification_receipts h WHERE h.notification_id = n.id) AS holders
        FROM notification_receipts r JOIN notifications n ON n.id = r.notification_id
       WHERE r.notification_id = ${notificationId}::uuid AND r.user_id = ${userId}::uuid
         AND (${inbox.workspaceId ?? null}::uuid IS NULL OR r.workspace_id = ${inbox.workspaceId ?? null}::uuid)`;
    if (!target) throw notFound('No such notification.');
    if (target.user_id !== null) {
      throw badRequest('Only workspace-level notifications (the ones every admin gets) can be claimed; this one is yours alone.', 'not_claimable');
    }
    // Every holder's stream lock, in id order, before their receipts (the order every writer
    // follows): concurrent claims of one notification queue here, one after the other.
    await lockStreams(tx, target.holders);
    const [changed] =
      action === 'claim'
        ? await tx.$queryRaw<{ claimed_at: Date | null }[]>`
            UPDATE notifications SET claimed_by_id = ${userId}::uuid, claimed_at = now()
             WHERE id = ${notificationId}::uuid AND claimed_by_id IS NULL RETURNING claimed_at`
        : await tx.$queryRaw<{ claimed_at: Date | null }[]>`
            UPDATE notifications SET claimed_by_id = NULL, claimed_at = NULL
             WHERE id = ${notificationId}::uuid AND claimed_by_id = ${userId}::uuid RETURNING claimed_at`;
    const current = await tx.notification.findUniqueOrThrow({ where: { id: notificationId }, select: notificationSelect });
    if (!changed) {
      const holder = current.claimedBy;
      // Already in the state asked for: claiming one's own claim, releasing what nobody holds.
      const settled = action === 'claim' ? holder?.id === userId : holder === null;
      if (!settled) {
        throw conflict(
          `${holder!.name} claimed this ${action === 'claim' ? 'first' : 'and only they can release it'}.`,
          'already_claimed',
          { claimed_by: { id: holder!.id, name: holder!.name }, claimed_at: current.claimedAt!.toISOString() },
        );
      }
      return itemFor(tx, current, userId);
    }
    // Out of everyone else's counts while claimed (the counters' trigger follows this column).
    const receipts = await tx.$queryRaw<
      { user_id: string; read_at: Date | null; archived_at: Date | null; seen_at: Date | null; snoozed_until: Date | null }[]
    >`
      UPDATE notification_receipts SET claimed_elsewhere = (${action === 'claim'} AND user_id <> ${userId}::uuid)
       WHERE notification_id = ${notificationId}::uuid
      RETURNING user_id, read_at, archived_at, seen_at, snoozed_until`;
    const claimedBy = current.claimedBy ? { id: current.claimedBy.id, name: current.claimedBy.name } : null;
    const claimedAt = current.claimedAt?.toISOString() ?? null;
    // The same state change as a read or an archive, with the claim in it, to every holder.
    await appendStreamEvents(
      tx,
      receipts.map((receipt) => ({
        userId: receipt.user_id,
        type: 'notification.updated' as const,
        data: {
          id: notificationId,
          workspace_id: target.workspace_id,
          read_at: receipt.read_at?.toISOString() ?? null,
          archived_at: receipt.archived_at?.toISOString() ?? null,
          seen_at: receipt.seen_at?.toISOString() ?? null,
          snoozed_until: receipt.snoozed_until?.toISOString() ?? null,
          claimed_by: claimedBy,
          claimed_at: claimedAt,
        },
      })),
    );
    await recordActivity(tx, {
      workspaceId: target.workspace_id,
      actorUserId: userId,
      type: action === 'claim' ? 'notification.claimed' : 'notification.released',
      entity: { type: 'notification', id: notificationId },
      summary: action === 'claim' ? `Claimed “${target.title}”` : `Released “${target.title}”`,
      meta: { notification_id: notificationId, title: target.title } satisfies Prisma.InputJsonObject,
    });
    return itemFor(tx, current, userId);
  });
}

async function itemFor(tx: Prisma.TransactionClient, notification: Parameters<typeof toNotificationItem>[0], userId: string) {
  const receipt = await tx.notificationReceipt.findUniqueOrThrow({
    where: { notificationId_userId: { notificationId: notification.id, userId } },
    select: receiptStateSelect,
  });
  return toNotificationItem(notification, receipt);
}
