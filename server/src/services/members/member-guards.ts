import type { Prisma } from '../../db/prisma.ts';
import { conflict, notFound } from '../../lib/errors.ts';

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
 * Someone who stops being an admin stops seeing the workspace-level notifications (they were
 * delivered to them as an admin), so their receipts and pending mails of those go.
 */
export async function dropWorkspaceLevelInbox(tx: Prisma.TransactionClient, workspaceId: string, userId: string) {
  const workspaceLevel = { workspaceId, userId: null };
  await tx.notificationReceipt.deleteMany({ where: { userId, workspaceId, notification: workspaceLevel } });
  await tx.emailOutbox.deleteMany({ where: { userId, sentAt: null, notification: workspaceLevel } });
}
