import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgConfigFromUrl, withDatabase } from '../../src/db/connection.ts';
import { type EmbeddedDatabase, startEmbeddedPostgres, startScratchPostgres } from '../../src/db/embedded-postgres.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { poolOfClient } from '../../src/db/prisma.ts';
import { createDatabaseIfMissing } from '../../src/db/prepare-database.ts';
import { createNotification } from '../../src/services/notifications/create-notification.ts';
import { freePort } from '../global-setup.ts';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../helper.ts';

// Stalls of the database the server cannot prevent: a lock held past the statement timeout, a
// database process that stops answering, a restart. After each the server must be whole again
// within seconds, with its full pool, and must have left no statement of its own running.
// This file has a PostgreSQL of its own: freezing the shared one would stall every other file.

const STALL_MS = 6_000;
/** Test servers run with a pool of this size (helper.ts). */
const POOL_SIZE = 5;

let database: EmbeddedDatabase;
let restarted: EmbeddedDatabase | undefined;
let port: number;
let databaseUrl: string;
let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};
let acmeNotificationIds: string[] = [];
let round = 0;

beforeAll(async () => {
  port = await freePort();
  database = await startScratchPostgres(port);
  await createDatabaseIfMissing(database.url, 'stalls');
  databaseUrl = withDatabase(database.url, 'stalls');
  await migrateDatabase(databaseUrl);
  server = await startTestServer({}, { databaseUrl, databaseTimeouts: true });
  api = apiClient(server.url);
  world = await createWorld(server.db);
  tokens.acme = await api.login(world.users.acmeMember.email);
  tokens.globex = await api.login(world.users.globexMember.email);
  tokens.acmeAdmin = await api.login(world.users.acmeAdmin.email);
  for (let i = 0; i < 22; i++) {
    const { notification } = await createNotification(server.db, { workspaceId: world.acme.id, userId: world.users.acmeMember.id, type: 'task_assigned', title: `Task ${i}`, body: '' });
    acmeNotificationIds.push(notification.id);
  }
  await createNotification(server.db, { workspaceId: world.globex.id, userId: world.users.globexMember.id, type: 'task_assigned', title: 'Globex task', body: '' });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await restarted?.stop();
  await database?.stop();
});

async function directClient() {
  const client = new pg.Client(pgConfigFromUrl(databaseUrl));
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Every kind of request the stall must not break: writes in transactions, reads, exports, readiness. */
function requestsDuringStall() {
  // Read, then unread the next time: each round changes every row.
  const read = round++ % 2 === 0;
  const labelled = (what: string, response: Promise<{ status: number; headers: Headers; body: unknown }>) =>
    response.then(({ status, headers, body }) => ({ what, status, retryAfter: headers.get('retry-after'), body }));
  return Promise.all([
    ...acmeNotificationIds.map((id) => labelled('PATCH notification', api.patch(`/api/notifications/${id}`, { read }, tokens.acme))),
    ...Array.from({ length: 10 }, () => labelled('GET notifications', api.get('/api/notifications', tokens.acme))),
    labelled('GET unread-count (Globex)', api.get('/api/notifications/unread-count', tokens.globex)),
    labelled(
      'GET export',
      fetch(`${server.url}/api/activity/export?format=csv`, { headers: { authorization: `Bearer ${tokens.acme}` } }).then(async (response) => ({
        status: response.status,
        headers: response.headers,
        body: response.status === 200 ? '' : await response.text().catch(() => ''),
      })),
    ),
    labelled('GET /readyz', api.get('/readyz')),
  ]);
}

/** Answers other than a success or a 503 that says when to retry. */
function unexpectedAnswers(responses: Awaited<ReturnType<typeof requestsDuringStall>>) {
  return responses.filter(({ status, retryAfter }) => status !== 200 && !(status === 503 && Number(retryAfter) > 0));
}

/** Within `withinMs` the server answers a burst of twice its pool size in full, and /readyz, logins and another workspace too. */
async function expectWholeAgain(withinMs: number) {
  const deadline = Date.now() + withinMs;
  let statuses: number[] = [];
  while (Date.now() < deadline) {
    const burst = await Promise.all([
      ...Array.from({ length: POOL_SIZE * 2 }, () => api.get('/api/notifications', tokens.acme)),
      api.get('/api/notifications/unread-count', tokens.globex),
      api.get('/readyz'),
    ]);
    statuses = burst.map((response) => response.status);
    if (statuses.every((status) => status === 200)) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(statuses).toEqual(statuses.map(() => 200));
  // Several bursts in a row: a pool that lost slots answers the first and queues past its timeout on the next.
  for (let again = 0; again < 3; again++) {
    const burst = await Promise.all(Array.from({ length: POOL_SIZE * 2 }, () => api.get('/api/notifications', tokens.acme)));
    expect(burst.map((response) => response.status)).toEqual(burst.map(() => 200));
  }
  const login = await api.post('/api/auth/login', { email: world.users.acmeAdmin.email, password: 'test-password' });
  expect(login.status).toBe(200);
  // No request is running now: every connection the pool holds comes back to it, none lost to the
  // stall. The server's periodic work (alert rules, the SIEM sender, checkpoints) keeps running and
  // may hold one for a few milliseconds at any moment, so the pool must be seen whole within a
  // second, not at one instant; a connection lost to the stall never comes back.
  const pool = poolOfClient.get(server.db)!;
  const inUse = async () => ({ checkedOut: pool.totalCount - pool.idleCount, waiting: pool.waitingCount });
  expect(await settled(inUse, ({ checkedOut, waiting }) => checkedOut === 0 && waiting === 0)).toEqual({ checkedOut: 0, waiting: 0 });
}

/** The first of `read`'s answers within a second that `done` accepts, else the last one. */
async function settled<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const by = Date.now() + 1_000;
  let value = await read();
  while (!done(value) && Date.now() < by) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    value = await read();
  }
  return value;
}

/** Statements of the server's still running in PostgreSQL (beside the given sessions of the test's own). */
async function serverStatementsRunning(observer: pg.Client, olderThanMs: number, exceptPids: number[]) {
  const { rows } = await observer.query<{ pid: number; query: string; wait: string | null }>(
    `SELECT pid, query, wait_event_type || ':' || wait_event AS wait FROM pg_stat_activity
      WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND NOT (pid = ANY($1::int[]))
        AND now() - query_start > make_interval(secs => $2::float8 / 1000)`,
    [exceptPids, olderThanMs],
  );
  return rows;
}

describe('a lock held past the statement timeout', () => {
  it('fails the requests it blocks with 503 (never 500), cancels their statements in PostgreSQL, and leaves the full pool once released — every time', { timeout: 120_000 }, async () => {
    for (let stall = 0; stall < 3; stall++) {
      const locker = await directClient();
      const observer = await directClient();
      const lockerPid = (await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE notification_receipts, notification_unread_counts, activities, stream_events IN ACCESS EXCLUSIVE MODE');
      const stream = new AbortController();
      const streamDuringStall = fetch(`${server.url}/api/notifications/stream`, {
        headers: { authorization: `Bearer ${tokens.acme}`, 'last-event-id': '0' },
        signal: stream.signal,
      }).catch(() => undefined);
      const requests = requestsDuringStall();
      await new Promise((resolve) => setTimeout(resolve, STALL_MS - 1_000));
      // Past the statement timeout, PostgreSQL itself has cancelled what the server gave up on.
      const lingering = await serverStatementsRunning(observer, 4_500, [lockerPid]);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await locker.query('COMMIT');
      const responses = await requests;
      stream.abort();
      await streamDuringStall;
      await locker.end();
      expect(lingering).toEqual([]);
      expect(unexpectedAnswers(responses)).toEqual([]);
      await expectWholeAgain(5_000);
      // Nothing of the stall still runs; periodic work may be mid-statement for a moment, so settle.
      expect(await settled(() => serverStatementsRunning(observer, 0, []), (rows) => rows.length === 0)).toEqual([]);
      await observer.end();
    }
  });
});

describe('a lock on the activity log past the lock timeout', () => {
  it('answers each of a workspace’s event batches sent together within seconds, 503 with Retry-After, and records batches again once released', { timeout: 60_000 }, async () => {
    const key = (await api.post('/api/api-keys', { name: 'Stall sync' }, tokens.acmeAdmin)).body.key as string;
    const send = (i: number) => {
      const started = performance.now();
      return api
        .request('POST', '/api/events', { headers: { 'x-api-key': key }, body: { events: [{ type: 'lead.updated', summary: `During the stall ${i}` }] } })
        .then(({ status, headers }) => ({ status, retryAfter: headers.get('retry-after'), ms: performance.now() - started }));
    };
    const locker = await directClient();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE activities IN ACCESS EXCLUSIVE MODE');
    // Together, so the server's writer for the workspace queues most of them behind the first.
    const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => send(i)));
    await locker.query('COMMIT');
    await locker.end();
    expect(answers.filter(({ status, retryAfter }) => !(status === 503 && Number(retryAfter) > 0))).toEqual([]);
    // One lock timeout (2 s) and the pool's wait, not one after another for each batch.
    expect(Math.max(...answers.map(({ ms }) => ms))).toBeLessThan(STALL_MS);
    const after = await Promise.all(Array.from({ length: 4 }, (_, i) => send(100 + i)));
    expect(after.map(({ status }) => status)).toEqual([201, 201, 201, 201]);
    const chain = await api.get('/api/activity/verify', tokens.acmeAdmin);
    expect(chain.body).toMatchObject({ ok: true, first_broken: null });
  });
});

/** The postmaster and every backend of the cluster, to freeze and thaw together. */
function clusterPids(dataDir: string): number[] {
  const postmaster = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' })
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter(Boolean);
  return [postmaster, ...children];
}

describe('a database that stops answering', () => {
  it('fails requests within seconds while frozen and is whole again within seconds of thawing — every time', { timeout: 120_000 }, async () => {
    for (let stall = 0; stall < 2; stall++) {
      // Frozen while transactions are open: the writes wait on a lock inside theirs when it stops.
      const locker = await directClient();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE notification_receipts IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const requests = requestsDuringStall();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const pids = clusterPids(database.dataDir);
      for (const pid of pids) process.kill(pid, 'SIGSTOP');
      let responses;
      try {
        responses = await requests;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, STALL_MS - (Date.now() - started))));
      } finally {
        for (const pid of pids) process.kill(pid, 'SIGCONT');
      }
      await locker.query('COMMIT');
      await locker.end();
      expect(Date.now() - started).toBeLessThan(STALL_MS + 2_000);
      expect(unexpectedAnswers(responses!)).toEqual([]);
      expect(responses!.filter((response) => response.status === 503).length).toBeGreaterThan(0);
      await expectWholeAgain(10_000);
      const observer = await directClient();
      // Connections the server gave up on while frozen are noticed and ended by PostgreSQL.
      const deadline = Date.now() + 10_000;
      let running = await serverStatementsRunning(observer, 0, []);
      while (running.length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        running = await serverStatementsRunning(observer, 0, []);
      }
      expect(running).toEqual([]);
      await observer.end();
    }
  });
});

describe('a database restart', () => {
  it('is survived: requests in flight fail with 503 and the server is whole again once the database is back — every time', { timeout: 120_000 }, async () => {
    for (let stall = 0; stall < 2; stall++) {
      const dataDir = (restarted ?? database).dataDir;
      const postmaster = clusterPids(dataDir)[0]!;
      const requests = requestsDuringStall();
      process.kill(postmaster, 'SIGINT');
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
        try {
          process.kill(postmaster, 0);
          await new Promise((resolve) => setTimeout(resolve, 50));
        } catch {
          break;
        }
      }
      expect(unexpectedAnswers(await requests)).toEqual([]);
      const previous = restarted;
      restarted = await startEmbeddedPostgres({ dataDir, dataDirChosen: true, port });
      await previous?.stop();
      await expectWholeAgain(15_000);
    }
  });
});
