import type pg from 'pg';
import type { Db } from '../../db/prisma.ts';

/**
 * Unread, not archived, per workspace: read from the counters the receipts' triggers keep
 * (notification_unread_counts), one key lookup however many are unread.
 */
export async function unreadCount(db: Db, userId: string) {
  const rows = await db.notificationUnreadCount.findMany({
    where: { userId, unread: { gt: 0 } },
    select: { workspaceId: true, unread: true },
  });
  const byWorkspace: Record<string, number> = {};
  let count = 0;
  for (const row of rows) {
    byWorkspace[row.workspaceId] = row.unread;
    count += row.unread;
  }
  return { count, by_workspace: byWorkspace };
}

/**
 * The same counts for several users at once, over a plain pg connection: the stream sends
 * them after every delivery, where Prisma's per-query CPU cost dominated (bench/README.md).
 */
export async function unreadCounts(db: Pick<pg.Pool, 'query'>, userIds: string[]) {
  const { rows } = await db.query<{ user_id: string; workspace_id: string; n: number }>(
    `SELECT user_id, workspace_id, unread AS n FROM notification_unread_counts
      WHERE user_id = ANY($1::uuid[]) AND unread > 0`,
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
