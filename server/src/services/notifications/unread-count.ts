import type pg from 'pg';
import type { Db } from '../../db/prisma.ts';
import { sqlOf } from '../../db/sql.ts';
import type { Inbox } from '../../domain/auth-context.ts';

/** Unread and unseen (not archived, not snoozed), in total and per workspace of the inbox. */
export async function unreadCount(db: Db, inbox: Inbox) {
  const rows = await sqlOf(db).query<CountRow>(COUNTS_SQL, [[inbox.userId]], 'unread-counts');
  return countsInWorkspace(countsOf([inbox.userId], rows).get(inbox.userId)!, inbox.workspaceId);
}

export type UnreadCounts = ReturnType<typeof countsOf> extends Map<string, infer Counts> ? Counts : never;

/** The counts of one workspace only (undefined: all of them), for a session limited to it. */
export function countsInWorkspace(counts: UnreadCounts, workspaceId: string | undefined): UnreadCounts {
  if (!workspaceId) return counts;
  const unread = counts.by_workspace[workspaceId] ?? 0;
  const unseen = counts.unseen_by_workspace[workspaceId] ?? 0;
  return {
    count: unread,
    by_workspace: unread > 0 ? { [workspaceId]: unread } : {},
    unseen,
    unseen_by_workspace: unseen > 0 ? { [workspaceId]: unseen } : {},
  };
}

/**
 * The maintained counters (not archived, not snoozed: one key lookup however many are unread),
 * plus the entries whose snooze has ended but which the waker has not moved back yet: they
 * count again from their time on (a partial index holds only snoozed entries, so this part
 * reads a handful of rows at most).
 */
const COUNTS_SQL = `
  SELECT user_id, workspace_id, sum(n)::int AS n, sum(unseen)::int AS unseen FROM (
    SELECT user_id, workspace_id, unread AS n, unseen
      FROM notification_unread_counts
     WHERE user_id = ANY($1::uuid[]) AND (unread > 0 OR unseen > 0)
    UNION ALL
    SELECT user_id, workspace_id, (read_at IS NULL)::int, (seen_at IS NULL)::int
      FROM notification_receipts
     WHERE user_id = ANY($1::uuid[]) AND snoozed_until IS NOT NULL AND snoozed_until <= now() AND archived_at IS NULL
  ) counted
   GROUP BY user_id, workspace_id
   -- One order whatever the plan, so every answer lists the workspaces alike.
   ORDER BY user_id, workspace_id`;

interface CountRow {
  user_id: string;
  workspace_id: string;
  n: number;
  unseen: number;
}

function countsOf(userIds: string[], rows: CountRow[]) {
  const counts = new Map(
    userIds.map((id) => [
      id,
      { count: 0, by_workspace: {} as Record<string, number>, unseen: 0, unseen_by_workspace: {} as Record<string, number> },
    ]),
  );
  for (const row of rows) {
    const entry = counts.get(row.user_id)!;
    if (row.n > 0) entry.by_workspace[row.workspace_id] = row.n;
    if (row.unseen > 0) entry.unseen_by_workspace[row.workspace_id] = row.unseen;
    entry.count += row.n;
    entry.unseen += row.unseen;
  }
  return counts;
}

/** The same counts for several users at once: the stream sends them after every delivery. */
export async function unreadCounts(db: Pick<pg.Pool, 'query'>, userIds: string[]) {
  const { rows } = await db.query<CountRow>(COUNTS_SQL, [userIds]);
  return countsOf(userIds, rows);
}

/** Each viewer's counts in one query, in the order given: what the live streams send. */
export async function viewersUnreadCounts(db: Pick<pg.Pool, 'query'>, viewers: ReadonlyArray<{ userId: string; workspaceId?: string }>) {
  const counts = await unreadCounts(db, [...new Set(viewers.map((viewer) => viewer.userId))]);
  return viewers.map((viewer) => countsInWorkspace(counts.get(viewer.userId)!, viewer.workspaceId));
}
