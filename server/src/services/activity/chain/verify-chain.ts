import type { Db } from '../../../db/prisma.ts';
import { bulkSqlOf } from '../../../db/sql.ts';
import { activityColumnsOf } from '../activity-sql.ts';
import { checkpointMessage, entryHash, GENESIS_HASH, purgeMessage } from './canonical.ts';
import { signingKey, verifyText } from './signing-key.ts';

export interface ChainRow {
  id: string;
  chain_seq: string;
  prev_hash: string;
  hash: string;
  recorded_at: Date;
  created_at: Date;
  workspace_id: string | null;
  actor_user_id: string | null;
  type: string;
  entity_type: string | null;
  entity_id: string | null;
  summary: string;
  severity: string;
  meta_json: string;
}

export interface Checkpoint {
  chain: string;
  chain_seq: string;
  hash: string;
  signed_at: string;
  key_id: string;
  signature: string;
}

export interface BrokenEntry {
  id: string;
  recorded_at: string;
  reason: string;
}

/** The columns of a chained entry, with meta as its jsonb text (what was hashed). */
export const CHAIN_COLUMNS = `id, chain_seq::text AS chain_seq, prev_hash, hash, recorded_at, created_at, workspace_id, actor_user_id,
  type, entity_type, entity_id, summary, severity::text AS severity, meta::text AS meta_json`;

/** Rows a verification reads per query. */
const BATCH = 5000;

export const fieldsOf = (chain: string, row: ChainRow) => ({
  ...activityColumnsOf(row),
  chain,
  chainSeq: row.chain_seq,
  recordedAt: row.recorded_at,
  metaJson: row.meta_json,
});

/** The purge entries' signed meta: where a gap in the chain is allowed. */
export interface PurgeMeta {
  deleted: number;
  policy: string;
  up_to_seq: string;
  purged_at: string;
  key_id: string;
  signature: string;
}

export const isPurgeMeta = (meta: unknown): meta is PurgeMeta => {
  const value = meta as Partial<PurgeMeta> | null;
  return typeof value?.signature === 'string' && typeof value.up_to_seq === 'string' && typeof value.policy === 'string' && typeof value.purged_at === 'string';
};

/**
 * Walks one chain in order and keeps the first thing wrong with it: an entry whose hash is
 * not that of its content (changed), a position taken twice or a prev_hash that is not the
 * previous entry's (inserted, reordered), positions missing that no signed purge entry
 * accounts for (deleted), an entry that differs from a signed checkpoint.
 */
export class ChainWalk {
  checked = 0;
  firstBroken: BrokenEntry | null = null;
  private previous: { seq: bigint; hash: string } | undefined;

  constructor(
    readonly chain: string,
    /** The highest position a valid purge entry of this chain deleted up to (0n: none). */
    private readonly purgedUpTo: bigint,
    /** Signed checkpoints of the chain by position. */
    private readonly checkpoints: Map<string, string>,
  ) {}

  add(row: ChainRow) {
    this.checked++;
    const seq = BigInt(row.chain_seq);
    const reason = this.problem(row, seq);
    if (reason) this.broken(row, reason);
    this.previous = { seq, hash: row.hash };
  }

  broken(row: { id: string; recorded_at: Date }, reason: string) {
    this.firstBroken ??= { id: row.id, recorded_at: row.recorded_at.toISOString(), reason };
  }

  private problem(row: ChainRow, seq: bigint): string | undefined {
    if (entryHash(row.prev_hash, fieldsOf(this.chain, row)) !== row.hash) return 'content does not match its hash (changed after it was recorded)';
    const checkpoint = this.checkpoints.get(row.chain_seq);
    if (checkpoint !== undefined && checkpoint !== row.hash) return `differs from the signed checkpoint at position ${row.chain_seq}`;
    const previous = this.previous;
    if (!previous) {
      if (seq === 1n) return row.prev_hash === GENESIS_HASH ? undefined : 'first entry of the chain does not start from the genesis hash';
      return seq - 1n <= this.purgedUpTo ? undefined : `${seq - 1n} entries before this one are missing (deleted; no purge accounts for them)`;
    }
    if (seq === previous.seq) return `position ${seq} is taken twice (an entry was inserted)`;
    if (seq < previous.seq) return 'out of order';
    if (seq === previous.seq + 1n) {
      return row.prev_hash === previous.hash ? undefined : 'prev_hash is not the previous entry\'s hash (an entry was inserted or replaced)';
    }
    if (seq - 1n <= this.purgedUpTo) return undefined;
    const missing = seq - previous.seq - 1n;
    return `${missing} ${missing === 1n ? 'entry' : 'entries'} missing before this one (positions ${previous.seq + 1n}–${seq - 1n}, deleted)`;
  }

  /** Starts the walk after an entry outside it (the one before a window): its link is checked, its content not. */
  anchor(seq: bigint, hash: string) {
    this.previous = { seq, hash };
  }

  /** The last position seen, after the walk. */
  get lastSeq() {
    return this.previous?.seq;
  }
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  first_broken: BrokenEntry | null;
  last_checkpoint: Checkpoint | null;
}

/**
 * Recomputes a chain (a workspace's, or the service-wide one with `workspaceId` null) from
 * the database, in batches on the bulk pool. `since`/`until` bound it by when entries were
 * recorded; the links into the first entry of a bounded range are not checked.
 */
export async function verifyActivityChain(db: Db, options: { workspaceId: string | null; since?: Date; until?: Date }): Promise<VerifyResult> {
  const sql = bulkSqlOf(db);
  const chain = options.workspaceId ?? 'service';
  const inChain = options.workspaceId ? `workspace_id = $1::uuid` : `workspace_id IS NULL AND $1::text = 'service'`;
  const key = await signingKey(db);

  const purges = await sql.query<{ id: string; recorded_at: Date; meta: unknown }>(
    `SELECT id, recorded_at, meta FROM activities WHERE ${inChain} AND type = 'activity.pruned' AND chain_seq IS NOT NULL`,
    [chain],
  );
  let purgedUpTo = 0n;
  const badPurges: typeof purges = [];
  for (const purge of purges) {
    const meta = purge.meta;
    if (!isPurgeMeta(meta)) continue; // entries from before purges were signed
    const signed = purgeMessage({ chain, upToSeq: meta.up_to_seq, deleted: meta.deleted, policy: meta.policy, purgedAt: meta.purged_at });
    if (verifyText(key.publicKeyPem, signed, meta.signature)) purgedUpTo = purgedUpTo > BigInt(meta.up_to_seq) ? purgedUpTo : BigInt(meta.up_to_seq);
    else badPurges.push(purge);
  }

  const checkpointRows = await sql.query<Checkpoint & { signed_at: Date }>(
    `SELECT chain, chain_seq::text AS chain_seq, hash, signed_at, key_id, signature FROM activity_checkpoints WHERE chain = $1 ORDER BY activity_checkpoints.chain_seq`,
    [chain],
  );
  const checkpoints = new Map<string, string>();
  const badCheckpoints: string[] = [];
  for (const row of checkpointRows) {
    const message = checkpointMessage({ chain, chainSeq: row.chain_seq, hash: row.hash, signedAt: row.signed_at });
    if (verifyText(key.publicKeyPem, message, row.signature)) checkpoints.set(row.chain_seq, row.hash);
    else badCheckpoints.push(row.chain_seq);
  }
  const lastCheckpoint = checkpointRows.at(-1);

  const walk = new ChainWalk(chain, purgedUpTo, checkpoints);
  for (const purge of badPurges) walk.broken(purge, 'purge entry with an invalid signature');
  // A time window is turned into a range of positions: entries of parallel transactions may
  // be recorded in a slightly different order than they were chained, and a window by
  // position has no false gaps. The entry before the window is its anchor: the link into
  // the window is checked too.
  let from = 0n;
  let to: bigint | undefined;
  if (options.since || options.until) {
    const [range] = await sql.query<{ lo: string | null; hi: string | null }>(
      `SELECT min(chain_seq)::text AS lo, max(chain_seq)::text AS hi FROM activities
        WHERE ${inChain} AND chain_seq IS NOT NULL AND recorded_at >= $2::timestamptz AND recorded_at < $3::timestamptz`,
      [chain, options.since ?? new Date(-8.64e15), options.until ?? new Date(8.64e15)],
    );
    if (range?.lo == null) return { ok: true, checked: 0, first_broken: null, last_checkpoint: lastCheckpointOut(lastCheckpoint) };
    from = BigInt(range.lo) - 1n;
    to = BigInt(range.hi!);
    if (from > 0n) {
      const [anchor] = await sql.query<{ chain_seq: string; hash: string }>(
        `SELECT chain_seq::text AS chain_seq, hash FROM activities WHERE ${inChain} AND chain_seq = $2::bigint ORDER BY id LIMIT 1`,
        [chain, String(from)],
      );
      if (anchor) walk.anchor(BigInt(anchor.chain_seq), anchor.hash);
    }
  }
  let after = { seq: String(from), id: 'ffffffff-ffff-ffff-ffff-ffffffffffff' };
  for (;;) {
    const rows = await sql.query<ChainRow>(
      `SELECT ${CHAIN_COLUMNS} FROM activities
        WHERE ${inChain} AND (activities.chain_seq, id) > ($2::bigint, $3::uuid)${to === undefined ? '' : ` AND activities.chain_seq <= ${to}`}
        ORDER BY activities.chain_seq, id LIMIT ${BATCH}`,
      [chain, after.seq, after.id],
    );
    for (const row of rows) walk.add(row);
    if (rows.length < BATCH) break;
    const last = rows.at(-1)!;
    after = { seq: last.chain_seq, id: last.id };
  }

  if (!options.since && !options.until) {
    const [head] = await sql.query<{ seq: string; hash: string }>(`SELECT seq::text AS seq, hash FROM activity_chain_heads WHERE chain = $1`, [chain]);
    const last = walk.lastSeq ?? 0n;
    if (head && BigInt(head.seq) > last) {
      const [lastRow] = await sql.query<{ id: string; recorded_at: Date }>(
        `SELECT id, recorded_at FROM activities WHERE ${inChain} AND chain_seq = $2::bigint LIMIT 1`,
        [chain, String(last)],
      );
      walk.broken(lastRow ?? { id: '', recorded_at: new Date(0) }, `${BigInt(head.seq) - last} entries missing after this one (positions ${last + 1n}–${head.seq}, deleted)`);
    }
    for (const seq of badCheckpoints) {
      const [row] = await sql.query<{ id: string; recorded_at: Date }>(`SELECT id, recorded_at FROM activities WHERE ${inChain} AND chain_seq = $2::bigint LIMIT 1`, [chain, seq]);
      walk.broken(row ?? { id: '', recorded_at: new Date(0) }, `checkpoint at position ${seq} has an invalid signature`);
    }
    // Entries written around the chain (the trigger bypassed) after it began.
    const [outside] = await sql.query<{ id: string; recorded_at: Date }>(
      `SELECT id, recorded_at FROM activities
        WHERE ${inChain} AND chain_seq IS NULL
          AND recorded_at >= (SELECT min(recorded_at) FROM activities WHERE ${inChain} AND chain_seq IS NOT NULL)
        ORDER BY recorded_at LIMIT 1`,
      [chain],
    );
    if (outside) walk.broken(outside, 'not in the chain (written around it after the chain began)');
  }

  return {
    ok: walk.firstBroken === null,
    checked: walk.checked,
    first_broken: walk.firstBroken,
    last_checkpoint: lastCheckpointOut(lastCheckpoint),
  };
}

const lastCheckpointOut = (row: (Checkpoint & { signed_at: Date }) | undefined): Checkpoint | null =>
  row ? { ...row, signed_at: row.signed_at.toISOString() } : null;
