import { createHash } from 'node:crypto';
import type { Prisma, PrismaClient } from '../../db/prisma.ts';
import { AppError } from '../../lib/errors.ts';

export interface IdempotentResult {
  statusCode: number;
  body: Prisma.InputJsonObject;
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
 * no second effect; the same key with another body is refused. Keys belong to one caller
 * (API key) on one route, so two integrations of a workspace cannot collide or read each
 * other's responses. The key row is inserted first, so a concurrent retry waits on it and
 * then replays instead of running twice. A failed request stores nothing and may be retried.
 */
export async function withIdempotency(
  db: PrismaClient,
  scope: { workspaceId: string; caller: string; route: string; key: string | undefined; request: unknown },
  work: (tx: Prisma.TransactionClient) => Promise<IdempotentResult>,
): Promise<IdempotentResult & { replayed: boolean }> {
  const { workspaceId } = scope;
  if (!scope.key) return { ...(await db.$transaction(work, { timeout: 60_000 })), replayed: false };
  // Stored as one string under the workspace's unique (workspace, key).
  const key = `${scope.caller} ${scope.route} ${scope.key}`;
  const requestHash = createHash('sha256').update(canonicalJson(scope.request)).digest('hex');
  return db.$transaction(
    async (tx) => {
      const { count } = await tx.idempotencyKey.createMany({ data: [{ workspaceId, key, requestHash }], skipDuplicates: true });
      const where = { workspaceId_key: { workspaceId, key } };
      if (count === 0) {
        const first = await tx.idempotencyKey.findUniqueOrThrow({ where, select: { requestHash: true, statusCode: true, response: true } });
        if (first.requestHash !== requestHash) {
          throw new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request body.');
        }
        return { statusCode: first.statusCode!, body: first.response as Prisma.InputJsonObject, replayed: true };
      }
      const result = await work(tx);
      await tx.idempotencyKey.update({ where, data: { statusCode: result.statusCode, response: result.body } });
      return { ...result, replayed: false };
    },
    { timeout: 60_000 },
  );
}
