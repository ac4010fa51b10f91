import type { Db } from '../../../db/prisma.ts';
import { checkpointMessage } from './canonical.ts';
import { signingKey, signText } from './signing-key.ts';

export interface CheckpointPolicy {
  /** Sign a chain once this many entries were added since its last checkpoint… */
  everyEntries: number;
  /** …or when its last checkpoint is this old and entries were added since. */
  everyMs: number;
}

/**
 * Signs a checkpoint (chain, position, hash, time) for every chain due under the policy.
 * A head is read as committed, so the position signed is an entry that exists. Instances
 * running this at once sign a position once (unique per chain and position).
 */
export async function signDueCheckpoints(db: Db, policy: CheckpointPolicy, now = new Date()): Promise<number> {
  const due = await db.$queryRaw<{ chain: string; seq: string; hash: string }[]>`
    SELECT h.chain, h.seq::text AS seq, h.hash
      FROM activity_chain_heads h
      LEFT JOIN LATERAL (
        SELECT c.chain_seq, c.signed_at FROM activity_checkpoints c WHERE c.chain = h.chain ORDER BY c.chain_seq DESC LIMIT 1
      ) last ON true
     WHERE h.seq > coalesce(last.chain_seq, 0)
       AND (last.chain_seq IS NULL OR h.seq - last.chain_seq >= ${policy.everyEntries}
            OR last.signed_at <= ${new Date(now.getTime() - policy.everyMs)}::timestamptz)`;
  if (due.length === 0) return 0;
  const key = await signingKey(db);
  let signed = 0;
  for (const head of due) {
    const signature = signText(key, checkpointMessage({ chain: head.chain, chainSeq: head.seq, hash: head.hash, signedAt: now }));
    signed += await db.$executeRaw`
      INSERT INTO activity_checkpoints (chain, chain_seq, hash, signed_at, key_id, signature)
      VALUES (${head.chain}, ${head.seq}::bigint, ${head.hash}, ${now}::timestamptz, ${key.keyId}, ${signature})
      ON CONFLICT (chain, chain_seq) DO NOTHING`;
  }
  return signed;
}
