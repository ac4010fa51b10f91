import type { Db } from '../../db/prisma.ts';

/** Unread, not archived, per workspace: one index-only scan of the partial unread index. */
export async function unreadCount(db: Db, userId: string) {
  const groups = await db.notificationReceipt.groupBy({
    by: ['workspaceId'],
    where: { userId, readAt: null, archivedAt: null },
    _count: { _all: true },
  });
  const byWorkspace: Record<string, number> = {};
  let count = 0;
  for (const group of groups) {
    byWorkspace[group.workspaceId] = group._count._all;
    count += group._count._all;
  }
  return { count, by_workspace: byWorkspace };
}
