import { createHash } from 'node:crypto';
import type { Prisma, PrismaClient } from '../../db/prisma.ts';
import { type Sql, sqlOf } from '../../db/sql.ts';
import { AppError } from '../../lib/errors.ts';

export interface IdempotentResult {
  statusCode: number;
  body: Prisma.InputJsonObject;
}

export interface IdempotencyScope {
  workspaceId: string;
  /** Who sends the key (an API key id) and on which route: keys are theirs alone. */
  caller: string;
  route: string;
  key: string | undefined;
  request: unknown;
}

/** JSON with every object's keys sorted: the same body however the client ordered it. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, child]) => child !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${canonicalJson(child)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Runs `work` in a transaction that also stores its response under the caller's
 * Idempotency-Key: a retry with the same key and body gets the first response back and has
 * no second effect; the same key with another body is refused. The key row is inserted
 * first, so a concurrent retry waits on it and then replays instead of running twice. A
 * failed request stores nothing and may be retried.
 */
export function withIdempotency(
  db: PrismaClient,
  scope: IdempotencyScope,
  work: (tx: Prisma.TransactionClient) => Promise<IdempotentResult>,
): Promise<IdempotentResult & { replayed: boolean }> {
  return db.$transaction((tx) => idempotent(sqlOf(tx), scope, () => work(tx)), { timeout: 60_000 });
}

/**
 * withIdempotency's rule inside the caller's pg transaction (the event ingest, whose
 * transactions the workspace writer runs).
 */
export async function idempotent(
  tx: Sql,
  { workspaceId, caller, route, key: given, request }: IdempotencyScope,
  work: () => Promise<IdempotentResult>,
): Promise<IdempotentResult & { replayed: boolean }> {
  if (!given) return { ...(await work()), replayed: false };
  // Stored as one string under the workspace's unique (workspace, key).
  const key = `${caller} ${route} ${given}`;
  const requestHash = createHash('sha256').update(canonicalJson(request)).digest('hex');
  const inserted = await tx.query(
    `INSERT INTO idempotency_keys (workspace_id, key, request_hash) VALUES ($1::uuid, $2, $3)
     ON CONFLICT (workspace_id, key) DO NOTHING RETURNING id`,
    [workspaceId, key, requestHash],
    'idempotency-claim',
  );
  if (inserted.length === 0) {
    const [first] = await tx.query<{ request_hash: string; status_code: number; response: Prisma.InputJsonObject }>(
      'SELECT request_hash, status_code, response FROM idempotency_keys WHERE workspace_id = $1::uuid AND key = $2',
      [workspaceId, key],
      'idempotency-replay',
    );
    if (first!.request_hash !== requestHash) {
      throw new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request body.');
    }
    return { statusCode: first!.status_code, body: first!.response, replayed: true };
  }
  const result = await work();
  await tx.query(
    'UPDATE idempotency_keys SET status_code = $3, response = $4::jsonb WHERE workspace_id = $1::uuid AND key = $2',
    [workspaceId, key, result.statusCode, JSON.stringify(result.body)],
    'idempotency-store',
  );
  return { ...result, replayed: false };
}
