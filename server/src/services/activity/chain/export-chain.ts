import { Readable } from 'node:stream';
import type { Db } from '../../../db/prisma.ts';
import { bulkSqlOf } from '../../../db/sql.ts';
import { chainOf } from './canonical.ts';
import { signingKey } from './signing-key.ts';
import { CHAIN_COLUMNS, type ChainRow } from './verify-chain.ts';

export const CHAIN_EXPORT_FORMAT = 'tray-notify/audit-export/1';
const BATCH = 2000;

/**
 * A whole chain for offline verification (scripts/audit-verify.mjs), as NDJSON: a header
 * (chain, public key), every chained entry in chain order with its hashes and its meta as
 * the exact text that was hashed (`meta_json`), then the chain's signed checkpoints. Read in
 * keyset batches on the bulk pool, pulled by the reply, at most `rowsPerSecond` rows a second.
 */
export function exportActivityChain(db: Db, workspaceId: string | null, rowsPerSecond = Number.POSITIVE_INFINITY): Readable {
  const chain = chainOf(workspaceId);
  const inChain = workspaceId ? `workspace_id = $1::uuid` : `workspace_id IS NULL AND $1::text = 'service'`;
  async function* lines() {
    const sql = bulkSqlOf(db);
    const key = await signingKey(db);
    const startedAt = Date.now();
    yield `${JSON.stringify({ kind: 'header', format: CHAIN_EXPORT_FORMAT, chain, key_id: key.keyId, public_key_pem: key.publicKeyPem, exported_at: new Date(startedAt).toISOString() })}\n`;
    let after = { seq: '0', id: '00000000-0000-0000-0000-000000000000' };
    let sent = 0;
    for (;;) {
      const rows = await sql.query<ChainRow>(
        `SELECT ${CHAIN_COLUMNS} FROM activities WHERE ${inChain} AND (activities.chain_seq, id) > ($2::bigint, $3::uuid) ORDER BY activities.chain_seq, id LIMIT ${BATCH}`,
        [chain, after.seq, after.id],
      );
      let chunk = '';
      for (const row of rows) {
        chunk += `${JSON.stringify({ kind: 'entry', ...row, recorded_at: row.recorded_at.toISOString(), created_at: row.created_at.toISOString() })}\n`;
      }
      if (chunk) yield chunk;
      if (rows.length < BATCH) break;
      const last = rows.at(-1)!;
      after = { seq: last.chain_seq, id: last.id };
      sent += rows.length;
      const ahead = startedAt + (sent / rowsPerSecond) * 1000 - Date.now();
      if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, ahead));
    }
    const checkpoints = await sql.query<{ chain_seq: string; hash: string; signed_at: Date; key_id: string; signature: string }>(
      `SELECT chain_seq::text AS chain_seq, hash, signed_at, key_id, signature FROM activity_checkpoints WHERE chain = $1 ORDER BY activity_checkpoints.chain_seq`,
      [chain],
    );
    let chunk = '';
    for (const checkpoint of checkpoints) chunk += `${JSON.stringify({ kind: 'checkpoint', chain, ...checkpoint, signed_at: checkpoint.signed_at.toISOString() })}\n`;
    if (chunk) yield chunk;
  }
  return Readable.from(lines(), { objectMode: false, highWaterMark: 64 * 1024 });
}

/** The newest checkpoints of a chain. */
export async function listCheckpoints(db: Db, workspaceId: string | null, limit: number) {
  const chain = chainOf(workspaceId);
  const rows = await db.$queryRaw<{ chain_seq: string; hash: string; signed_at: Date; key_id: string; signature: string }[]>`
    SELECT chain_seq::text AS chain_seq, hash, signed_at, key_id, signature FROM activity_checkpoints
     WHERE chain = ${chain} ORDER BY activity_checkpoints.chain_seq DESC LIMIT ${limit}`;
  return { items: rows.map((row) => ({ chain, ...row, signed_at: row.signed_at.toISOString() })) };
}
