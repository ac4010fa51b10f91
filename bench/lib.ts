/**
 * Shared set-up for the benchmarks: a throw-away PostgreSQL (embedded, or a fresh database on
 * BENCH_DATABASE_URL's server), migrated, with one workspace of N members holding sessions.
 */
import { freePort } from '../server/test/global-setup.ts';
import { withDatabase } from '../server/src/db/connection.ts';
import { startScratchPostgres } from '../server/src/db/embedded-postgres.ts';
import { migrateDatabase } from '../server/src/db/migrate.ts';
import { createDatabaseIfMissing } from '../server/src/db/prepare-database.ts';
import type { PrismaClient } from '../server/src/db/prisma.ts';
import { hashToken, newToken } from '../server/src/lib/tokens.ts';

export { freePort };

export function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const raw = index >= 0 ? process.argv[index + 1] : undefined;
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} ${raw}: expected a positive number`);
  return value;
}

export async function startBenchDatabase(): Promise<{ url: string; stop(): Promise<void> }> {
  const name = `bench_${Date.now()}`;
  const given = process.env.BENCH_DATABASE_URL;
  if (given) {
    await createDatabaseIfMissing(given, name);
    const url = withDatabase(given, name);
    await migrateDatabase(url);
    return { url, stop: async () => {} };
  }
  const embedded = await startScratchPostgres(await freePort());
  await createDatabaseIfMissing(embedded.url, name);
  const url = withDatabase(embedded.url, name);
  await migrateDatabase(url);
  return { url, stop: embedded.stop };
}

export interface BenchUser {
  id: string;
  token: string;
}

/** One workspace, `count` members with a live session each (no password logins: argon2 is slow on purpose). */
export async function seedUsers(db: PrismaClient, count: number): Promise<{ workspaceId: string; users: BenchUser[] }> {
  const workspace = await db.workspace.create({ data: { name: 'Bench', slug: `bench-${Date.now()}` } });
  const users: BenchUser[] = [];
  for (let start = 0; start < count; start += 1000) {
    const chunk = Array.from({ length: Math.min(1000, count - start) }, (_, i) => start + i);
    const created = await db.user.createManyAndReturn({
      data: chunk.map((n) => ({ email: `bench-${n}@bench.test`, name: `Bench ${n}`, passwordHash: 'unused' })),
      select: { id: true },
    });
    await db.membership.createMany({ data: created.map((user) => ({ workspaceId: workspace.id, userId: user.id, role: 'member' as const })) });
    const tokens = created.map(() => newToken());
    await db.session.createMany({
      data: created.map((user, i) => ({
        userId: user.id,
        tokenHash: hashToken(tokens[i]!),
        workspaceId: workspace.id,
        expiresAt: new Date(Date.now() + 24 * 3600 * 1000),
      })),
    });
    created.forEach((user, i) => users.push({ id: user.id, token: tokens[i]! }));
  }
  return { workspaceId: workspace.id, users };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * The writes of createNotification for one personal notification (notification, receipt,
 * stream event under the user's seq, transactional NOTIFY), as one SQL statement. The load
 * generator uses it because createNotification through Prisma costs ~11 ms of CPU per call
 * here (bench/README.md): 500/s of it would need more cores than the machine has, and the
 * benchmark is about delivering, not creating.
 */
export const CREATE_NOTIFICATION_SQL = `
WITH n AS (
  INSERT INTO notifications (workspace_id, user_id, type, title, body, updated_at)
  VALUES ($1::uuid, $2::uuid, 'bench', $3, 'A personal notification of typical size for the benchmark.', now())
  RETURNING *
), r AS (
  INSERT INTO notification_receipts (notification_id, user_id, workspace_id, created_at)
  SELECT id, user_id, workspace_id, created_at FROM n
), u AS (
  UPDATE users SET stream_seq = stream_seq + 1 WHERE id = $2::uuid RETURNING id, stream_seq
), e AS (
  INSERT INTO stream_events (user_id, seq, type, data)
  SELECT u.id, u.stream_seq, 'notification.created', jsonb_build_object(
    'id', n.id, 'workspace_id', n.workspace_id, 'user_id', n.user_id, 'type', n.type, 'title', n.title,
    'body', n.body, 'target_url', n.target_url, 'meta', n.meta, 'read_at', null, 'archived_at', null,
    'created_at', to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
  FROM n, u
  RETURNING user_id, seq
)
SELECT pg_notify('tn_stream', user_id || ':' || seq) FROM e`;
