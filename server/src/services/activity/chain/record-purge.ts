import type { Db } from '../../../db/prisma.ts';
import { recordActivity } from '../record-activity.ts';
import { chainOf, purgeMessage } from './canonical.ts';
import { signingKey, signText } from './signing-key.ts';

/**
 * Records a deletion of a chain's old entries as a signed `activity.pruned` entry of that
 * chain, in the transaction that deleted them: "purged up to position N, this many entries,
 * by this policy". Verification accepts missing positions up to N only with such an entry.
 * `upToSeq`: the highest position deleted (null: only entries from before the chain).
 */
export async function recordPurge(
  tx: Db,
  purge: { workspaceId: string | null; upToSeq: string | null; deleted: number; policy: string; summary: string; meta?: Record<string, string | number | null> },
) {
  const key = await signingKey(tx);
  const purgedAt = new Date();
  const upToSeq = purge.upToSeq ?? '0';
  const signature = signText(key, purgeMessage({ chain: chainOf(purge.workspaceId), upToSeq, deleted: purge.deleted, policy: purge.policy, purgedAt }));
  return recordActivity(tx, {
    workspaceId: purge.workspaceId,
    actorUserId: null,
    type: 'activity.pruned',
    ...(purge.workspaceId ? { entity: { type: 'workspace', id: purge.workspaceId } } : {}),
    summary: purge.summary,
    meta: {
      ...purge.meta,
      deleted: purge.deleted,
      policy: purge.policy,
      up_to_seq: upToSeq,
      purged_at: purgedAt.toISOString(),
      key_id: key.keyId,
      signature,
    },
  });
}
