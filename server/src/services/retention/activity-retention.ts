import { type Db, inTransaction } from '../../db/prisma.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { recordPurge } from '../activity/chain/record-purge.ts';
import { recordActivity } from '../activity/record-activity.ts';
import { isHeldForUpdate } from './legal-hold.ts';

const DAY_MS = 24 * 3600 * 1000;

/** Rows one pruning run deletes per workspace at most: the rest goes in the next run, so no run holds locks for long. */
const PRUNE_BATCH = 50_000;

/**
 * `serverDays` is ACTIVITY_RETENTION_DAYS: the default and the maximum of every workspace;
 * 0 keeps everything (then a workspace may choose any number of days).
 */

/** A workspace's retention as its admins see it: the effective days, and whether it is the server's. */
export async function getActivityRetention(db: Db, workspaceId: string, serverDays: number) {
  const workspace = await db.workspace.findUnique({ where: { id: workspaceId }, select: { id: true, name: true, activityRetentionDays: true } });
  if (!workspace) throw notFound('No such workspace.');
  return retentionItem(workspace, serverDays);
}

function retentionItem(workspace: { id: string; name: string; activityRetentionDays: number | null }, serverDays: number) {
  const own = workspace.activityRetentionDays;
  return {
    workspace_id: workspace.id,
    workspace_name: workspace.name,
    /** Days kept (null: everything): the workspace's own setting, never more than the server's. */
    retention_days: own !== null && (serverDays === 0 || own < serverDays) ? own : serverDays || null,
    /** The workspace's own setting; null: the server's applies. */
    workspace_days: own,
    /** The server's (null: everything is kept). */
    server_days: serverDays || null,
  };
}

/**
 * Super admins set (or, with null, clear) a workspace's retention, at most the server's.
 * The change is an audit entry in the workspace; pruning follows in the background.
 */
export function setActivityRetention(
  db: Db,
  options: { workspaceId: string; days: number | null; serverDays: number; minDays?: number; actor: { userId: string; name: string } },
) {
  const { days, serverDays } = options;
  const minDays = options.minDays ?? 0;
  if (days !== null && serverDays > 0 && days > serverDays) {
    throw badRequest(`retention_days can be at most ${serverDays}, the server's ACTIVITY_RETENTION_DAYS.`, 'retention_above_server');
  }
  if (days !== null && days < minDays) {
    throw badRequest(`retention_days must be at least ${minDays}, the server's ACTIVITY_MIN_RETENTION_DAYS.`, 'retention_below_minimum');
  }
  return inTransaction(db, async (tx) => {
    const [before] = await tx.$queryRaw<{ activity_retention_days: number | null }[]>`
      SELECT activity_retention_days FROM workspaces WHERE id = ${options.workspaceId}::uuid FOR UPDATE`;
    if (!before) throw notFound('No such workspace.');
    const workspace = await tx.workspace.update({
      where: { id: options.workspaceId },
      data: { activityRetentionDays: days },
      select: { id: true, name: true, activityRetentionDays: true },
    });
    if (before.activity_retention_days !== days) {
      const label = (value: number | null) =>
        value !== null ? `${value} days` : serverDays > 0 ? `the server's ${serverDays} days` : "the server's (everything)";
      await recordActivity(tx, {
        workspaceId: workspace.id,
        actorUserId: options.actor.userId,
        type: 'workspace.retention_changed',
        entity: { type: 'workspace', id: workspace.id },
        summary: `${options.actor.name} set activity retention to ${label(days)} (was ${label(before.activity_retention_days)})`,
        meta: { changes: { retention_days: { from: before.activity_retention_days, to: days } } },
        severity: 'warning',
      });
    }
    return retentionItem(workspace, serverDays);
  });
}

/**
 * Deletes the activity that workspaces with a shorter retention than the server's no longer
 * keep (what is older than the server's own retention is pruned for every workspace
 * elsewhere), and records each deletion as a signed `activity.pruned` entry of the
 * workspace's chain in the same transaction. A transaction-scoped advisory lock per
 * workspace makes instances that run at the same moment skip a workspace another is
 * pruning, so each deletion is recorded once. A workspace under legal hold is skipped (read
 * under a share lock of its row, so a hold placed meanwhile waits for this to finish), and
 * no workspace keeps less than `minDays` (ACTIVITY_MIN_RETENTION_DAYS), whatever it set.
 */
export async function pruneWorkspaceActivity(db: Db, serverDays: number, now = new Date(), minDays = 0) {
  const workspaces = await db.workspace.findMany({
    where: { activityRetentionDays: serverDays > 0 ? { lt: serverDays } : { not: null }, legalHoldAt: null },
    select: { id: true, activityRetentionDays: true },
  });
  const pruned: Record<string, number> = {};
  for (const workspace of workspaces) {
    const days = Math.max(workspace.activityRetentionDays!, minDays);
    if (serverDays > 0 && days >= serverDays) continue;
    const before = new Date(now.getTime() - days * DAY_MS);
    const deleted = await inTransaction(db, async (tx) => {
      const [{ locked }] = await tx.$queryRaw<[{ locked: boolean }]>`
        SELECT pg_try_advisory_xact_lock(hashtext(${`activity-retention:${workspace.id}`})) AS locked`;
      if (!locked || (await isHeldForUpdate(tx, workspace.id))) return 0;
      const [gone] = await tx.$queryRaw<[{ count: number; up_to_seq: string | null }]>`
        WITH gone AS (
          DELETE FROM activities WHERE id IN (
            SELECT id FROM activities
             WHERE workspace_id = ${workspace.id}::uuid AND created_at < ${before}::timestamptz
             LIMIT ${PRUNE_BATCH})
          RETURNING chain_seq)
        SELECT count(*)::int AS count, max(chain_seq)::text AS up_to_seq FROM gone`;
      const count = gone.count;
      if (count > 0) {
        await recordPurge(tx, {
          workspaceId: workspace.id,
          upToSeq: gone.up_to_seq,
          deleted: count,
          policy: `workspace retention ${days} days`,
          summary: `Deleted ${count} activity ${count === 1 ? 'entry' : 'entries'} older than ${days} days (retention)`,
          meta: { retention_days: days, before: before.toISOString() },
        });
      }
      return count;
    });
    if (deleted > 0) pruned[workspace.id] = deleted;
  }
  return pruned;
}
