import type pg from 'pg';
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

/**
 * The same counts for several users at once, over a plain pg connection: the stream sends
 * them after every delivery, where Prisma's per-query CPU cost dominated (bench/README.md).
 */
export async function unreadCounts(db: Pick<pg.Pool, 'query'>, userIds: string[]) {
  const { rows } = await db.query<{ user_id: string; workspace_id: string; n: number }>(
    `SELECT user_id, workspace_id, count(*)::int AS n FROM notification_receipts
      WHERE user_id = ANY($1::uuid[]) AND read_at IS NULL AND archived_at IS NULL GROUP BY user_id, workspace_id`,
    [userIds],
  );
  const counts = new Map(userIds.map((id) => [id, { count: 0, by_workspace: {} as Record<string, number> }]));
  for (const row of rows) {
    const entry = counts.get(row.user_id)!;
    entry.by_workspace[row.workspace_id] = row.n;
    entry.count += row.n;
  }
  return counts;
}
