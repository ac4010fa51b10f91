import type { Prisma } from '../../db/prisma.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { lockStreams } from '../../stream/append-stream-events.ts';

/**
 * The target's membership, with the workspace's admin rows locked: two admins demoting each
 * other at once must not leave the workspace without one.
 */
export async function lockMembership(tx: Prisma.TransactionClient, workspaceId: string, userId: string) {
  const admins = await tx.$queryRaw<{ user_id: string }[]>`
    SELECT user_id FROM memberships WHERE workspace_id = ${workspaceId}::uuid AND role = 'admin' FOR UPDATE`;
  const membership = await tx.membership.findUnique({
    where: { workspaceId_userId: { workspaceId, userId } },
    select: { role: true, user: { select: { id: true, name: true } } },
  });
  if (!membership) throw notFound('No such member in this workspace.');
  return { ...membership, isLastAdmin: membership.role === 'admin' && admins.length === 1 };
}

export const lastAdmin = () => conflict('A workspace needs at least one admin: promote someone else first.', 'last_admin');

/**
 * Takes away what a member may no longer see of the workspace: all of it (removed), or the
 * workspace-level notifications they had as an admin (demoted). Their inbox entries and pending
 * mails of those go, and so do the rows of their stream log that carry them, so a stream
 * resumed from an old position cannot replay them. Takes the user's stream lock first, the
 * order every writer of receipts follows.
 */
export async function forgetInboxOf(
  tx: Prisma.TransactionClient,
  workspaceId: string,
  userId: string,
  what: 'everything' | 'workspace-level',
) {
  await lockStreams(tx, [userId]);
  const workspaceLevelOnly = what === 'workspace-level';
  const notification = workspaceLevelOnly ? { workspaceId, userId: null } : { workspaceId };
  const gone = await tx.$queryRaw<{ notification_id: string }[]>`
    DELETE FROM notification_receipts r USING notifications n
     WHERE n.id = r.notification_id AND r.user_id = ${userId}::uuid AND r.workspace_id = ${workspaceId}::uuid
       AND (NOT ${workspaceLevelOnly} OR n.user_id IS NULL)
    RETURNING r.notification_id`;
  await tx.emailOutbox.deleteMany({ where: { userId, sentAt: null, notification } });
  // By the entries just deleted, and by what the events say of themselves: an event can
  // outlive its entry (read notifications are pruned) and still carry its title.
  await tx.$executeRaw`
    DELETE FROM stream_events
     WHERE user_id = ${userId}::uuid
       AND (data->>'id' = ANY(${gone.map((row) => row.notification_id)}::text[])
            OR (data->>'workspace_id' = ${workspaceId}
                AND (NOT ${workspaceLevelOnly} OR (data ? 'user_id' AND data->>'user_id' IS NULL))))`;
}
