/**
 * Shared set-up for the benchmarks: a throw-away PostgreSQL (embedded, or a fresh database on
 * BENCH_DATABASE_URL's server), migrated, with one workspace of N members holding sessions.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { freePort } from '../server/test/global-setup.ts';
import pg from 'pg';
import { pgConfigFromUrl, withDatabase } from '../server/src/db/connection.ts';
import { startScratchPostgres } from '../server/src/db/embedded-postgres.ts';
import { migrateDatabase } from '../server/src/db/migrate.ts';
import { createDatabaseIfMissing } from '../server/src/db/prepare-database.ts';
import type { PrismaClient } from '../server/src/db/prisma.ts';
import { hashToken, newToken } from '../server/src/lib/tokens.ts';

export { freePort };

export const repoRoot = path.resolve(import.meta.dirname, '..');

export function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const raw = index >= 0 ? process.argv[index + 1] : undefined;
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} ${raw}: expected a positive number`);
  return value;
}

/**
 * `--synchronous-commit off` (a diagnostic, never a recommendation) sets it on the bench
 * database, so that a run can tell waiting for the WAL disk apart from everything else.
 */
export async function startBenchDatabase(): Promise<{ url: string; stop(): Promise<void> }> {
  const name = `bench_${Date.now()}`;
  const given = process.env.BENCH_DATABASE_URL;
  const embedded = given ? undefined : await startScratchPostgres(await freePort());
  const serverUrl = given ?? embedded!.url;
  await createDatabaseIfMissing(serverUrl, name);
  const url = withDatabase(serverUrl, name);
  await migrateDatabase(url);
  const index = process.argv.indexOf('--synchronous-commit');
  if (index >= 0 && process.argv[index + 1] === 'off') {
    const client = new pg.Client(pgConfigFromUrl(url));
    await client.connect();
    await client.query(`ALTER DATABASE "${name}" SET synchronous_commit = off`);
    await client.end();
  }
  return { url, stop: embedded?.stop ?? (async () => {}) };
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
 * stream event under the user's seq), as one SQL statement returning the user's new head
 * ("<userId>:<seq>") for the same after-commit wake-up (announceStreamHeads). The load
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
SELECT user_id || ':' || seq AS heads FROM e`;

/** For the benchmarks' own StreamNotifiers: their warnings, nothing else. */
export const quietLogger = {
  info() {},
  warn: (obj: object, msg?: string) => console.error(msg, obj),
  error: (obj: object, msg?: string) => console.error(msg, obj),
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Milliseconds on a clock shared by the benchmark's processes (performance.now() is per process). */
export const now = () => performance.timeOrigin + performance.now();
export const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
export const loadAverage = () => loadavg().map((n) => n.toFixed(2)).join(' ');

export const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
/** utime + stime of a process, in seconds (clock ticks are 1/100 s on Linux). */
export const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

export interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
  /** The server's event-loop delay since the previous probe (bench/gc-probe.ts). */
  eventLoopDelayMs?: { p50: number; p99: number; max: number };
}

/** What a writer (bench/writer.ts) reports when it is done. */
export interface WriterDone {
  issued: number;
  skipped: number;
  errors: number;
  cpuMs: number;
  /** Its pg pool sampled every 10 ms: samples with a caller waiting for a connection, and the most waiting at once. */
  poolWait: { samples: number; withWaiters: number; maxWaiting: number };
  eventLoopDelayP99Ms: number;
}

export interface BenchServer {
  pid: number;
  url: string;
  port: number;
  /** The server's memory right after a full garbage collection (bench/gc-probe.ts). */
  liveMemory(): Promise<Memory>;
  stop(): void;
}

/**
 * `server/src/server.ts` in a child process of its own (its memory and CPU are its own), on
 * 127.0.0.1, with bench/gc-probe.ts loaded; resolves when /readyz answers.
 */
export async function startServer(databaseUrl: string, env: Record<string, string> = {}, nodeFlags: string[] = []): Promise<BenchServer> {
  const port = await freePort();
  const server = spawn(process.execPath, [...nodeFlags, '--expose-gc', '--import', 'tsx', '--import', './bench/gc-probe.ts', 'server/src/server.ts'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO_DATA: 'false', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The server's own output passes through; gc-probe's answers are picked out of it.
  const probes: ((memory: Memory) => void)[] = [];
  let pending = '';
  server.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    let end;
    while ((end = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      if (line.startsWith('GC_PROBE ')) probes.shift()?.(JSON.parse(line.slice(9)));
      else process.stdout.write(line + '\n');
    }
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    if (Date.now() > deadline) throw new Error('the server did not start within 90 s');
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    await sleep(200);
  }
  return {
    pid: server.pid!,
    url,
    port,
    liveMemory: () =>
      new Promise<Memory>((resolve) => {
        probes.push(resolve);
        server.kill('SIGUSR2');
      }),
    stop: () => server.kill('SIGKILL'),
  };
}

/** What the SSE client processes (bench/sse-clients.ts) are told to open. */
export interface StreamTarget {
  port: number;
  path: string;
  /** Bearer token (the app); none for nchan. */
  token?: string;
}

export interface Received {
  /** The `title` of the notification (or message) received. */
  key: string;
  at: number;
}

/**
 * N SSE clients spread over `processes` child processes (bench/sse-clients.ts), so that
 * parsing the streams does not share an event loop with the writer whose latency is measured.
 * Resolves once every stream has answered (the app: its first unread count).
 */
export async function startStreamClients(
  targets: StreamTarget[],
  processes: number,
  onReceived: (events: Received[]) => void,
): Promise<{ pids: number[]; failed: number; openSeconds: number; stop(): void }> {
  const children: ChildProcess[] = [];
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: processes }, (_, k) => {
      const mine = targets.filter((_, i) => i % processes === k);
      const child = fork(path.join(repoRoot, 'bench/sse-clients.ts'), [], {
        cwd: repoRoot,
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      children.push(child);
      return new Promise<{ failed: number }>((resolve, reject) => {
        child.on('message', (message: { ready?: { failed: number }; received?: Received[]; progress?: number }) => {
          if (message.received) onReceived(message.received);
          else if (message.ready) resolve(message.ready);
        });
        child.on('exit', (code) => reject(new Error(`an SSE client process exited with ${code}`)));
        child.send({ targets: mine });
      });
    }),
  );
  return {
    pids: children.map((child) => child.pid!),
    failed: results.reduce((sum, result) => sum + result.failed, 0),
    openSeconds: (performance.now() - started) / 1000,
    stop: () => {
      for (const child of children) {
        child.removeAllListeners('exit');
        child.kill('SIGKILL');
      }
    },
  };
}

export interface Created {
  key: string;
  sentAt: number;
  committedAt: number;
}

/** Runs bench/writer.ts in a child process; resolves with what it reports at the end. */
export function runWriter(
  task: import('./writer.ts').WriterTask,
  onCreated: (created: Created[]) => void,
): Promise<WriterDone> {
  const child = fork(path.join(repoRoot, 'bench/writer.ts'), [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.on('message', (message: { created?: Created[]; done?: WriterDone }) => {
      if (message.created) onCreated(message.created);
      if (message.done) resolve(message.done);
    });
    child.on('exit', (code) => reject(new Error(`a writer process exited with ${code}`)));
    child.send(task);
  });
}

export interface DatabaseWaits {
  /** pg_stat_activity samples taken (one every 100 ms). */
  samples: number;
  /** Samples in which at least one backend waited on a heavyweight `Lock:object` (the NOTIFY queue's lock, among others). */
  samplesWithLockObject: number;
  /** Active backends seen, summed over the samples, by `type:event` (or running), most frequent first. */
  backendsWaiting: Record<string, number>;
}

/**
 * Samples pg_stat_activity of the bench database every 100 ms from a connection of its own, so
 * that a run shows what its backends wait on (a lock, the WAL flush) while the load runs.
 */
export async function sampleDatabaseWaits(databaseUrl: string): Promise<{ stop(): Promise<DatabaseWaits> }> {
  const client = new pg.Client({ ...pgConfigFromUrl(databaseUrl), application_name: 'bench wait sampler' });
  await client.connect();
  const waits: DatabaseWaits = { samples: 0, samplesWithLockObject: 0, backendsWaiting: {} };
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query<{ wait: string; n: number }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'running (no wait event)') AS wait, count(*)::int AS n
           FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
          GROUP BY 1`,
      );
      waits.samples++;
      if (rows.some((row) => row.wait === 'Lock:object')) waits.samplesWithLockObject++;
      for (const row of rows) waits.backendsWaiting[row.wait] = (waits.backendsWaiting[row.wait] ?? 0) + row.n;
      await sleep(100);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await client.end();
      waits.backendsWaiting = Object.fromEntries(Object.entries(waits.backendsWaiting).sort(([, a], [, b]) => b - a));
      return waits;
    },
  };
}
