import { type Db, inTransaction } from '../../db/prisma.ts';
import { notFound } from '../../lib/errors.ts';
import { recordActivity } from '../activity/record-activity.ts';

const holdItem = (workspace: { id: string; legal_hold_at: Date | null; legal_hold_reason: string | null; legal_hold_by_id: string | null }) => ({
  workspace_id: workspace.id,
  held: workspace.legal_hold_at !== null,
  since: workspace.legal_hold_at?.toISOString() ?? null,
  reason: workspace.legal_hold_reason,
  by_user_id: workspace.legal_hold_by_id,
});

export async function getLegalHold(db: Db, workspaceId: string) {
  const [workspace] = await db.$queryRaw<Parameters<typeof holdItem>[0][]>`
    SELECT id, legal_hold_at, legal_hold_reason, legal_hold_by_id FROM workspaces WHERE id = ${workspaceId}::uuid`;
  if (!workspace) throw notFound('No such workspace.');
  return holdItem(workspace);
}

/**
 * Places (held = true) or lifts a legal hold, as an audit entry of the workspace's chain in
 * the same transaction. The workspace row's lock orders this against retention runs, which
 * read the hold under a share lock of the same row before deleting anything. Placing a hold
 * already in place with the same reason, or lifting none, changes and records nothing.
 */
export function setLegalHold(db: Db, options: { workspaceId: string; held: boolean; reason: string; actor: { userId: string; name: string } }) {
  return inTransaction(db, async (tx) => {
    const [before] = await tx.$queryRaw<Parameters<typeof holdItem>[0][]>`
      SELECT id, legal_hold_at, legal_hold_reason, legal_hold_by_id FROM workspaces WHERE id = ${options.workspaceId}::uuid FOR UPDATE`;
    if (!before) throw notFound('No such workspace.');
    const wasHeld = before.legal_hold_at !== null;
    if (options.held ? wasHeld && before.legal_hold_reason === options.reason : !wasHeld) return holdItem(before);
    const [after] = await tx.$queryRaw<Parameters<typeof holdItem>[0][]>`
      UPDATE workspaces
         SET legal_hold_at = ${options.held ? (before.legal_hold_at ?? new Date()) : null}::timestamptz,
             legal_hold_reason = ${options.held ? options.reason : null},
             legal_hold_by_id = ${options.held ? options.actor.userId : null}::uuid
       WHERE id = ${options.workspaceId}::uuid
      RETURNING id, legal_hold_at, legal_hold_reason, legal_hold_by_id`;
    await recordActivity(tx, {
      workspaceId: options.workspaceId,
      actorUserId: options.actor.userId,
      type: options.held ? 'workspace.legal_hold_placed' : 'workspace.legal_hold_lifted',
      entity: { type: 'workspace', id: options.workspaceId },
      summary: options.held
        ? `${options.actor.name} placed a legal hold: ${options.reason}`
        : `${options.actor.name} lifted the legal hold: ${options.reason}`,
      meta: { reason: options.reason, ...(wasHeld && options.held ? { previous_reason: before.legal_hold_reason } : {}) },
      severity: 'warning',
    });
    return holdItem(after!);
  });
}

/** Whether the workspace is held, under a share lock of its row until the transaction ends (so no hold is placed meanwhile unseen). */
export async function isHeldForUpdate(tx: Db, workspaceId: string): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ held: boolean }[]>`
    SELECT legal_hold_at IS NOT NULL AS held FROM workspaces WHERE id = ${workspaceId}::uuid FOR SHARE`;
  return row?.held ?? false;
}
