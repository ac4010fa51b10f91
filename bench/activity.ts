/**
 * npm run bench:activity -- --rows 10000000
 *
 * The activity log and the inbox at scale, over real HTTP against the server in a child process.
 * Loads N activities with COPY (200 workspaces, one holding 30 %, a year of history in time
 * order, every type, the audit types 0.5 % together) and 1M notification receipts for one admin
 * (100k unread) into a PostgreSQL cluster kept under the temp dir, and reuses it while the row
 * count matches (newer migrations are applied to it; `--reload` forces a fresh load). Then
 * measures each feed and filter (search included): first page, a page at depth N/2 by cursor,
 * a 40-page scroll, and `page` at its
 * deepest allowed offset; the unread count and unread list while writes go on; and /healthz in
 * the same run, as the floor the ratios are taken against.
 *
 * Flags: --rows N (1000000), --requests N per row of the table (200), --receipts N (1000000),
 *        --unread N (100000), --index-cost-rows N (0: skip; loads N rows into scratch tables
 *        with one index at a time to price each index per insert), --retention-days N (0: skip;
 *        runs the retention, times it and re-measures: the next run reloads),
 *        --data-dir DIR (the kept cluster, default $TMPDIR/tray-notify-bench), --reload,
 *        --skip-http (load and/or price the indexes only), --feeds TEXT (only the feeds whose
 *        name contains TEXT, e.g. "q=", and no inbox part; "inbox": the inbox part only).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pgConfigFromUrl, withDatabase } from '../server/src/db/connection.ts';
import { startEmbeddedPostgres } from '../server/src/db/embedded-postgres.ts';
import { migrateDatabase, pendingMigrations } from '../server/src/db/migrate.ts';
import { createPrismaClient } from '../server/src/db/prisma.ts';
import { ACTIVITY_TYPES, AUDIT_ACTIVITY_TYPES } from '../server/src/domain/types.ts';
import { encodeCursor } from '../server/src/lib/cursor.ts';
import { hashToken, newToken } from '../server/src/lib/tokens.ts';
import { maintainActivityPartitions, partitionNames } from '../server/src/services/activity/activity-partitions.ts';
import { pruneReadNotifications } from '../server/src/services/housekeeping/prune-read-notifications.ts';
import { MAX_PAGE_OFFSET } from '../server/src/services/activity/list-activity.ts';
import { freePort } from './lib.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    requests: { type: 'string', default: '200' },
    receipts: { type: 'string', default: '1000000' },
    unread: { type: 'string', default: '100000' },
    'index-cost-rows': { type: 'string', default: '0' },
    'retention-days': { type: 'string', default: '0' },
    'data-dir': { type: 'string', default: path.join(tmpdir(), 'tray-notify-bench') },
    reload: { type: 'boolean', default: false },
    'skip-http': { type: 'boolean', default: false },
    feeds: { type: 'string' },
  },
});
const ROWS = Number(values.rows);
const REQUESTS = Number(values.requests);
const RECEIPTS = Number(values.receipts);
const UNREAD = Number(values.unread);
const INDEX_COST_ROWS = Number(values['index-cost-rows']);
const RETENTION_DAYS = Number(values['retention-days']);
const WORKSPACES = 200;
const PAGE_SIZE = 50;
const started = performance.now();
const log = (message: string) =>
  console.error(`[bench:activity ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');
const repoRoot = path.resolve(import.meta.dirname, '..');

// ---- Data: deterministic, in time order (as a log is written), ids are UUIDv7 of the row's time.

function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let entropy = randomBytes(0).toString('hex');
let entropyAt = 0;
function randomHex(length: number) {
  if (entropyAt + length > entropy.length) {
    entropy = randomBytes(1 << 16).toString('hex');
    entropyAt = 0;
  }
  entropyAt += length;
  return entropy.slice(entropyAt - length, entropyAt);
}
function uuidV7(ms: number) {
  const t = ms.toString(16).padStart(12, '0');
  const r = randomHex(19);
  return `${t.slice(0, 8)}-${t.slice(8)}-7${r.slice(0, 3)}-${'89ab'[parseInt(r[3]!, 16) & 3]}${r.slice(4, 7)}-${r.slice(7)}`;
}
function uuidV4() {
  const r = randomHex(32);
  return `${r.slice(0, 8)}-${r.slice(8, 12)}-4${r.slice(13, 16)}-${'89ab'[parseInt(r[16]!, 16) & 3]}${r.slice(17, 20)}-${r.slice(20)}`;
}

const RARE_TYPES = AUDIT_ACTIVITY_TYPES; // 0.5 % together
const COMMON_TYPES = ACTIVITY_TYPES.filter((type) => !RARE_TYPES.includes(type));
const ENTITY_OF: Record<string, string> = { lead: 'lead', email: 'lead', campaign: 'campaign', task: 'task', playbook: 'playbook_run', job: 'job' };

interface World {
  workspaceIds: string[];
  /** Members of each workspace, who act in its activity. */
  actors: string[][];
}

const YEAR_MS = 365 * 24 * 3600 * 1000;
/** Row i of n (0 = oldest) is written at this time: evenly over the year before `end`. */
const rowTime = (i: number, n: number, end: number) => end - YEAR_MS + Math.floor(((i + 0.5) * YEAR_MS) / n);

/** Activity rows as COPY text, `chunk` rows per string. */
function* activityCopyRows(world: World, n: number, end: number, ids: 'v7' | 'v4' = 'v7', chunk = 2000) {
  const random = prng(42);
  let buffer: string[] = [];
  for (let i = 0; i < n; i++) {
    const ws = random() < 0.3 ? 0 : 1 + Math.floor(random() * (WORKSPACES - 1));
    const type = random() < 0.005 ? RARE_TYPES[Math.floor(random() * RARE_TYPES.length)]! : COMMON_TYPES[Math.floor(random() * COMMON_TYPES.length)]!;
    const members = world.actors[ws]!;
    const actor = random() < 0.1 ? '\\N' : members[Math.floor(random() * members.length)]!;
    const entityType = ENTITY_OF[type.split('.')[0]!];
    // About 20 entries per entity, spread over the year.
    const entityId = entityType ? `${entityType}-${ws}-${Math.floor(random() * Math.max(1, n / WORKSPACES / 20) * (ws === 0 ? 60 : 0.5))}` : undefined;
    const r = random();
    const severity = r < 0.02 ? 'critical' : r < 0.1 ? 'warning' : 'info';
    const ms = rowTime(i, n, end);
    const id = ids === 'v7' ? uuidV7(ms) : uuidV4();
    buffer.push(
      `${id}\t${world.workspaceIds[ws]}\t${actor}\t${type}\t${entityType ?? '\\N'}\t${entityId ?? '\\N'}\t` +
        `${type} #${i}\t{"n":${i}}\t${severity}\t${new Date(ms).toISOString()}\n`,
    );
    if (buffer.length === chunk) {
      yield buffer.join('');
      buffer = [];
    }
  }
  if (buffer.length) yield buffer.join('');
}

const COPY_COLUMNS = '(id, workspace_id, actor_user_id, type, entity_type, entity_id, summary, meta, severity, created_at)';

async function copyActivities(client: pg.Client, table: string, rows: Iterable<string>, total: number, progress: boolean) {
  let sent = 0;
  let lastReport = performance.now();
  const t0 = performance.now();
  const source = Readable.from(
    (function* () {
      for (const chunk of rows) {
        sent += 2000;
        if (progress && performance.now() - lastReport > 10_000) {
          lastReport = performance.now();
          const seconds = (lastReport - t0) / 1000;
          log(`  ${Math.min(sent, total).toLocaleString('en-US')} / ${total.toLocaleString('en-US')} rows, ${Math.round(sent / seconds).toLocaleString('en-US')} rows/s, load average ${load()}`);
        }
        yield chunk;
      }
    })(),
  );
  await pipeline(source, client.query(copyFrom(`COPY ${table} ${COPY_COLUMNS} FROM STDIN`)));
  return (performance.now() - t0) / 1000;
}

// ---- The kept cluster

async function openDatabase() {
  const dataRoot = path.resolve(values['data-dir']!);
  await mkdir(dataRoot, { recursive: true });
  await chmod(dataRoot, 0o755);
  const cluster = await startEmbeddedPostgres({ dataDir: path.join(dataRoot, 'pg'), port: await freePort(), log });
  const admin = new pg.Client(pgConfigFromUrl(cluster.url));
  await admin.connect();
  // A bulk load writes GBs of WAL: fewer checkpoints while it runs (takes effect on reload).
  await admin.query(`ALTER SYSTEM SET max_wal_size = '8GB'`);
  await admin.query(`SELECT pg_reload_conf()`);
  const name = `activity_${ROWS}`;
  const url = withDatabase(cluster.url, name);
  const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount === 1;
  let reuse = false;
  if (exists && !values.reload) {
    const pending = await pendingMigrations(url);
    const client = new pg.Client(pgConfigFromUrl(url));
    await client.connect();
    const meta = await client.query(`SELECT rows FROM bench_meta`).catch(() => ({ rows: [] as { rows: string }[] }));
    await client.end();
    reuse = Number(meta.rows[0]?.rows) === ROWS;
    if (!reuse) log(`database ${name} is stale (rows recorded: ${meta.rows[0]?.rows ?? 'none'}): reloading`);
    else if (pending.length > 0) {
      // Migrations are written for live data: the loaded rows take them like production would.
      log(`applying ${pending.length} newer migration(s) to the loaded database: ${pending.join(', ')}`);
      await migrateDatabase(url);
    }
  }
  if (!reuse) {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  }
  await admin.end();
  return { url, reuse, dataRoot, stop: cluster.stop };
}

async function loadWorld(client: pg.Client): Promise<World & { adminId: string }> {
  const workspaceIds = (
    await client.query<{ id: string }>(
      `INSERT INTO workspaces (name, slug) SELECT 'Workspace ' || g, 'w' || g FROM generate_series(0, ${WORKSPACES - 1}) g RETURNING id`,
    )
  ).rows.map((row) => row.id);
  const actors: string[][] = [];
  for (let ws = 0; ws < WORKSPACES; ws++) {
    const count = ws === 0 ? 200 : 9;
    const ids = (
      await client.query<{ id: string }>(
        `INSERT INTO users (email, name, password_hash) SELECT 'u' || $1 || '-' || g || '@bench.test', 'User ' || $1 || '-' || g, 'unused'
           FROM generate_series(1, ${count}) g RETURNING id`,
        [ws],
      )
    ).rows.map((row) => row.id);
    await client.query(`INSERT INTO memberships (workspace_id, user_id, role) SELECT $1, unnest($2::uuid[]), 'member'`, [workspaceIds[ws], ids]);
    actors.push(ids);
  }
  const adminId = (
    await client.query<{ id: string }>(
      `INSERT INTO users (email, name, password_hash, is_super_admin) VALUES ('admin@bench.test', 'Bench Admin', 'unused', true) RETURNING id`,
    )
  ).rows[0]!.id;
  await client.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'admin')`, [workspaceIds[0], adminId]);
  return { workspaceIds, actors, adminId };
}

/** RECEIPTS notifications for the admin in the big workspace over the year, UNREAD of them unread. */
async function loadInbox(client: pg.Client, workspaceId: string, adminId: string) {
  await client.query(
    `WITH n AS (
       INSERT INTO notifications (workspace_id, user_id, type, title, created_at, updated_at)
       SELECT $1, $2, 'task_assigned', 'Task ' || g, t, t
         FROM generate_series(1, $3::int) g, LATERAL (SELECT now() - (g * (31536000.0 / $3)) * interval '1 second' AS t) ts
       RETURNING id, created_at)
     INSERT INTO notification_receipts (notification_id, user_id, workspace_id, created_at, read_at)
     SELECT id, $2, $1, created_at, CASE WHEN random() < $4::float8 THEN NULL ELSE created_at END FROM n`,
    [workspaceId, adminId, RECEIPTS, UNREAD / RECEIPTS],
  );
}

// ---- Measuring

interface Stats {
  p50: number;
  p99: number;
  n: number;
}
const stats = (times: number[]): Stats => {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99), n: sorted.length };
};
const fmt = (s: Stats) => `${s.p50.toFixed(2)} / ${s.p99.toFixed(2)}`;

async function main() {
  log(`load average at start: ${load()}`);
  const database = await openDatabase();
  const client = new pg.Client(pgConfigFromUrl(database.url));
  await client.connect();
  client.on('error', () => {});
  const end = Date.now();
  if (!database.reuse) {
    log(`migrating ${database.url.replace(/:[^:@]*@/, ':***@')}`);
    await migrateDatabase(database.url);
    const world = await loadWorld(client);
    // Partitions for the year being loaded (the housekeeping creates the coming months).
    await client.query(`SELECT ensure_activity_partition(m) FROM generate_series(now() - interval '13 months', now() + interval '2 months', interval '1 month') m`);
    log(`loading ${ROWS.toLocaleString('en-US')} activities with COPY (indexes in place, as the app writes them)`);
    const seconds = await copyActivities(client, 'activities', activityCopyRows(world, ROWS, end), ROWS, true);
    log(`COPY of ${ROWS.toLocaleString('en-US')} activities: ${seconds.toFixed(1)} s (${Math.round(ROWS / seconds).toLocaleString('en-US')} rows/s), load average ${load()}`);
    const t1 = performance.now();
    log(`loading ${RECEIPTS.toLocaleString('en-US')} notifications and receipts for one admin (${UNREAD.toLocaleString('en-US')} unread)`);
    await loadInbox(client, world.workspaceIds[0]!, world.adminId);
    log(`inbox loaded in ${((performance.now() - t1) / 1000).toFixed(1)} s; VACUUM ANALYZE`);
    const t2 = performance.now();
    await client.query('VACUUM (ANALYZE)');
    log(`VACUUM ANALYZE: ${((performance.now() - t2) / 1000).toFixed(1)} s`);
    await client.query(`CREATE TABLE bench_meta (rows bigint NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now(), load_seconds float8, end_ms bigint)`);
    await client.query(`INSERT INTO bench_meta (rows, load_seconds, end_ms) VALUES ($1, $2, $3)`, [ROWS, seconds, end]);
  } else {
    log(`reusing the loaded database ${database.url.replace(/:[^:@]*@/, ':***@')}`);
  }
  const meta = (await client.query<{ load_seconds: number; end_ms: string; loaded_at: Date }>(`SELECT * FROM bench_meta`)).rows[0]!;
  const dataEnd = Number(meta.end_ms);
  const parts = await client.query<{ n: string; total: string }>(
    `SELECT count(*) AS n, pg_size_pretty(sum(pg_total_relation_size(inhrelid))) AS total FROM pg_inherits WHERE inhparent = 'activities'::regclass`,
  );
  log(`activities: ${ROWS.toLocaleString('en-US')} rows in ${parts.rows[0]!.n} partitions, ${parts.rows[0]!.total} with indexes`);

  const w = await client.query<{ id: string }>(`SELECT id FROM workspaces ORDER BY slug = 'w0' DESC, slug LIMIT 2`);
  const bigWs = w.rows[0]!.id;
  const smallWs = (await client.query<{ id: string }>(`SELECT id FROM workspaces WHERE slug = 'w7'`)).rows[0]!.id;
  const adminId = (await client.query<{ id: string }>(`SELECT id FROM users WHERE email = 'admin@bench.test'`)).rows[0]!.id;
  const actorId = (await client.query<{ id: string }>(`SELECT user_id AS id FROM memberships WHERE workspace_id = $1 AND role = 'member' LIMIT 1`, [bigWs])).rows[0]!.id;
  const entity = (
    await client.query<{ entity_type: string; entity_id: string }>(
      `SELECT entity_type, entity_id FROM activities WHERE workspace_id = $1 AND entity_type = 'lead' ORDER BY created_at DESC, id DESC LIMIT 1`,
      [bigWs],
    )
  ).rows[0]!;
  const token = newToken();
  await client.query(`DELETE FROM sessions WHERE user_id = $1`, [adminId]);
  await client.query(`INSERT INTO sessions (user_id, token_hash, workspace_id, expires_at) VALUES ($1, $2, $3, now() + interval '1 day')`, [adminId, hashToken(token), bigWs]);

  if (INDEX_COST_ROWS > 0) await indexCost(client);
  if (values['skip-http']) {
    await client.end();
    await database.stop();
    return;
  }

  // ---- The server, in its own process
  const port = await freePort();
  const server = spawn(process.execPath, ['--import', 'tsx', 'server/src/server.ts'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO_DATA: 'false', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      if (i > 600) throw new Error('the server did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const headers = { authorization: `Bearer ${token}` };
  const get = async (pathAndQuery: string, expect = 200) => {
    const response = await fetch(base + pathAndQuery, { headers });
    const body = await response.text();
    if (response.status !== expect) throw new Error(`${pathAndQuery}: ${response.status} ${body.slice(0, 300)}`);
    return JSON.parse(body) as { next_cursor: string | null; items: unknown[]; count?: number };
  };
  const time = async (pathAndQuery: string, n = REQUESTS, expect = 200) => {
    for (let i = 0; i < Math.min(20, n); i++) await get(pathAndQuery, expect);
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await get(pathAndQuery, expect);
      times.push(performance.now() - t);
    }
    return stats(times);
  };

  log(`measuring over HTTP, ${REQUESTS} requests per figure; load average ${load()}`);
  const healthz = await time('/healthz', REQUESTS * 2);
  log(`/healthz: ${fmt(healthz)} ms`);

  // Depth N/2: the time of the row half-way through the year; each filter's cursor is its first
  // row at or before that time, i.e. what a client holds after scrolling there.
  const depthTime = new Date(rowTime(ROWS - 1 - Math.floor(ROWS / 2), ROWS, dataEnd));
  // A two-month window around that depth.
  const since = new Date(depthTime.getTime() - 30 * 24 * 3600 * 1000).toISOString();
  const until = new Date(depthTime.getTime() + 30 * 24 * 3600 * 1000).toISOString();
  const commonType = COMMON_TYPES[0]!;
  const rareType = RARE_TYPES[0]!;
  // A row of the 30 % workspace half-way back: its number, as a search word.
  const selectiveWord = (
    await client.query<{ n: string }>(`SELECT meta->>'n' AS n FROM activities WHERE workspace_id = $1 AND created_at <= $2 ORDER BY created_at DESC, id DESC LIMIT 1`, [bigWs, depthTime])
  ).rows[0]!.n;
  const commonWord = commonType.split('.')[0]!;
  type Feed = { name: string; url: string; where: string; params: unknown[] };
  const feeds: Feed[] = [
    { name: 'activity (30 % workspace)', url: '/api/activity?', where: 'workspace_id = $1', params: [bigWs] },
    { name: 'activity, type (common)', url: `/api/activity?type=${commonType}&`, where: 'workspace_id = $1 AND type = $2', params: [bigWs, commonType] },
    { name: 'activity, type (rare, 0.1 %)', url: `/api/activity?type=${rareType}&`, where: 'workspace_id = $1 AND type = $2', params: [bigWs, rareType] },
    { name: 'activity, severity=critical', url: '/api/activity?severity=critical&', where: `workspace_id = $1 AND severity = 'critical'`, params: [bigWs] },
    { name: 'activity, entity', url: `/api/activity?entity_type=${entity.entity_type}&entity_id=${entity.entity_id}&`, where: 'workspace_id = $1 AND entity_type = $2 AND entity_id = $3', params: [bigWs, entity.entity_type, entity.entity_id] },
    { name: 'activity, since/until (2 months)', url: `/api/activity?since=${since}&until=${until}&`, where: 'workspace_id = $1 AND created_at >= $2 AND created_at < $3', params: [bigWs, since, until] },
    { name: 'admin, all workspaces', url: '/api/admin/activity?', where: 'true', params: [] },
    { name: 'admin, workspace (0.35 %)', url: `/api/admin/activity?workspace_id=${smallWs}&`, where: 'workspace_id = $1', params: [smallWs] },
    { name: 'admin, type (rare)', url: `/api/admin/activity?type=${rareType}&`, where: 'type = $1', params: [rareType] },
    { name: 'admin, actor', url: `/api/admin/activity?actor_user_id=${actorId}&`, where: 'actor_user_id = $1', params: [actorId] },
    { name: 'admin, severity=critical', url: '/api/admin/activity?severity=critical&', where: `severity = 'critical'`, params: [] },
    { name: 'admin, entity', url: `/api/admin/activity?entity_type=${entity.entity_type}&entity_id=${entity.entity_id}&`, where: 'entity_type = $1 AND entity_id = $2', params: [entity.entity_type, entity.entity_id] },
    { name: 'admin, since/until (2 months)', url: `/api/admin/activity?since=${since}&until=${until}&`, where: 'created_at >= $1 AND created_at < $2', params: [since, until] },
    { name: 'admin, workspace + type (rare)', url: `/api/admin/activity?workspace_id=${bigWs}&type=${rareType}&`, where: 'workspace_id = $1 AND type = $2', params: [bigWs, rareType] },
    // Search: a selective word (row numbers are words of the summary and meta: `q` matches each
    // word as a prefix, so one number finds its row and the ~10 whose numbers extend it), and a
    // word in a tenth of the rows (a type's first word, e.g. "campaign").
    { name: 'activity, q= one row number (selective)', url: `/api/activity?q=${selectiveWord}&`, where: `workspace_id = $1 AND search_vector @@ to_tsquery('simple', $2)`, params: [bigWs, `${selectiveWord}:*`] },
    { name: 'activity, q= common word', url: `/api/activity?q=${commonWord}&`, where: `workspace_id = $1 AND search_vector @@ to_tsquery('simple', $2)`, params: [bigWs, `${commonWord}:*`] },
    { name: 'admin, q= one row number (selective)', url: `/api/admin/activity?q=${selectiveWord}&`, where: `search_vector @@ to_tsquery('simple', $1)`, params: [`${selectiveWord}:*`] },
    { name: 'admin, q= common word + type', url: `/api/admin/activity?q=${commonWord}&type=${commonType}&`, where: `type = $1 AND search_vector @@ to_tsquery('simple', $2)`, params: [commonType, `${commonWord}:*`] },
  ].filter((feed) => !values.feeds || feed.name.includes(values.feeds));
  const deepestPage = Math.floor(MAX_PAGE_OFFSET / PAGE_SIZE) + 1;
  interface Row {
    feed: string;
    first: Stats;
    deep: Stats | undefined;
    scroll: Stats;
    scrollMs: number;
    offset: Stats;
  }
  const rows: Row[] = [];
  const measureFeeds = async (label: string) => {
    const result: Row[] = [];
    for (const feed of feeds) {
      const first = await time(`${feed.url}page_size=${PAGE_SIZE}`);
      const cursorRow = (
        await client.query<{ created_at: Date; id: string }>(
          `SELECT created_at, id FROM activities WHERE ${feed.where} AND created_at <= $${feed.params.length + 1}
            ORDER BY created_at DESC, id DESC LIMIT 1`,
          [...feed.params, depthTime],
        )
      ).rows[0];
      const deep = cursorRow
        ? await time(`${feed.url}page_size=${PAGE_SIZE}&cursor=${encodeCursor({ createdAt: cursorRow.created_at, id: cursorRow.id })}`)
        : undefined;
      const pageTimes: number[] = [];
      let scrollMs = 0;
      const scrolls = Math.max(1, Math.round(REQUESTS / 40));
      for (let s = 0; s < scrolls; s++) {
        let cursor: string | null = null;
        const t0 = performance.now();
        for (let page = 0; page < 40; page++) {
          const t = performance.now();
          const body = await get(`${feed.url}page_size=${PAGE_SIZE}${cursor ? `&cursor=${cursor}` : ''}`);
          pageTimes.push(performance.now() - t);
          cursor = body.next_cursor;
          if (!cursor) break;
        }
        scrollMs += (performance.now() - t0) / scrolls;
      }
      const offset = await time(`${feed.url}page_size=${PAGE_SIZE}&page=${deepestPage}`, Math.max(20, Math.round(REQUESTS / 4)));
      const row = { feed: feed.name, first, deep, scroll: stats(pageTimes), scrollMs, offset };
      result.push(row);
      log(`${label}${feed.name}: first ${fmt(first)}, depth ${deep ? fmt(deep) : '—'}, scroll ${fmt(row.scroll)} (40 pages ${scrollMs.toFixed(0)} ms), page ${deepestPage} ${fmt(offset)}`);
    }
    return result;
  };
  rows.push(...(await measureFeeds('')));
  const refused = await time(`/api/activity?page_size=${PAGE_SIZE}&page=2000`, Math.max(20, Math.round(REQUESTS / 4)), 400);
  log(`page=2000 (offset 99,950): refused with 400 in ${fmt(refused)} ms`);
  const healthzAfter = await time('/healthz', REQUESTS * 2);
  const floor = { p50: (healthz.p50 + healthzAfter.p50) / 2, p99: (healthz.p99 + healthzAfter.p99) / 2, n: healthz.n + healthzAfter.n };

  // ---- Inbox: unread count and unread list while notifications arrive and get read.
  const inbox = values.feeds && values.feeds !== 'inbox' ? '' : await measureInbox(client, database.url, get, time, adminId);

  const lines: string[] = [];
  const out = (line = '') => lines.push(line);
  out(`\n### ${ROWS.toLocaleString('en-US')} activities (${parts.rows[0]!.n} partitions, ${parts.rows[0]!.total}), ${new Date().toISOString().slice(0, 16)} UTC, load average ${load()}`);
  out(`\nLoad: ${meta.load_seconds ? `${Number(meta.load_seconds).toFixed(0)} s for the COPY (${Math.round(ROWS / Number(meta.load_seconds)).toLocaleString('en-US')} rows/s)` : '—'}; data loaded ${meta.loaded_at.toISOString().slice(0, 16)}.`);
  out(`\n/healthz (same run, before and after): p50 ${floor.p50.toFixed(2)} ms, p99 ${floor.p99.toFixed(2)} ms. Cells: p50 / p99 ms; ratios: p50 / p50 of /healthz and p99 / p99 of /healthz.`);
  if (rows.length > 0) {
    out(`\n| feed (page_size ${PAGE_SIZE}) | first page | by cursor at depth ${(ROWS / 2).toLocaleString('en-US')} | ratio | 40-page scroll (per page) | ratio | page=${deepestPage} (offset ${MAX_PAGE_OFFSET.toLocaleString('en-US')}) |`);
    out('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    const ratio = (s: Stats | undefined) => (s ? `${(s.p50 / floor.p50).toFixed(1)}× / ${(s.p99 / floor.p99).toFixed(1)}×` : '—');
    for (const row of rows) {
      out(`| ${row.feed} | ${fmt(row.first)} | ${row.deep ? fmt(row.deep) : '—'} | ${ratio(row.deep)} | ${fmt(row.scroll)} | ${ratio(row.scroll)} | ${fmt(row.offset)} |`);
    }
    const worst = rows.flatMap((row) => [row.first, row.deep, row.scroll].filter((s): s is Stats => !!s)).reduce((a, b) => (b.p99 > a.p99 ? b : a));
    out(`\nWorst cursor-page p99: ${worst.p99.toFixed(2)} ms (${(worst.p99 / floor.p99).toFixed(1)}× /healthz p99; p50 ratios ${Math.min(...rows.map((r) => r.first.p50 / floor.p50)).toFixed(1)}–${Math.max(...rows.map((r) => r.scroll.p50 / floor.p50)).toFixed(1)}×).`);
  }
  out(`page=2000 (offset 99,950) answers 400 \`page_too_deep\` in ${fmt(refused)} ms.`);
  out(inbox);

  if (RETENTION_DAYS > 0) out(await measureRetention(client, database.url, get, dataEnd, rows, measureFeeds));

  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  await client.end();
  await database.stop();
  console.log(lines.join('\n'));
  log(`done; the loaded cluster stays in ${database.dataRoot} for the next run (--reload to load afresh)`);
}

type Get = (pathAndQuery: string, expect?: number) => Promise<{ next_cursor: string | null; items: unknown[]; count?: number }>;
type Time = (pathAndQuery: string, n?: number, expect?: number) => Promise<Stats>;

async function measureInbox(client: pg.Client, url: string, get: Get, time: Time, adminId: string) {
  const unreadNow = async () =>
    Number((await client.query(`SELECT count(*) AS n FROM notification_receipts WHERE user_id = $1 AND read_at IS NULL AND archived_at IS NULL`, [adminId])).rows[0].n);
  const total = Number((await client.query(`SELECT count(*) AS n FROM notification_receipts WHERE user_id = $1`, [adminId])).rows[0].n);
  const writers = new pg.Pool({ ...pgConfigFromUrl(url), max: 4 });
  writers.on('error', () => {});
  const ws = (await client.query(`SELECT workspace_id FROM memberships WHERE user_id = $1`, [adminId])).rows[0].workspace_id;
  // ~200 changes/s: new notifications for the admin, and reads/unreads of random ones.
  let running = true;
  let writes = 0;
  const writer = (async () => {
    while (running) {
      const t = performance.now();
      await Promise.all([
        writers.query(
          `WITH n AS (INSERT INTO notifications (workspace_id, user_id, type, title) VALUES ($1, $2, 'task_assigned', 'new') RETURNING id, created_at)
           INSERT INTO notification_receipts (notification_id, user_id, workspace_id, created_at) SELECT id, $2, $1, created_at FROM n`,
          [ws, adminId],
        ),
        writers.query(
          `UPDATE notification_receipts SET read_at = CASE WHEN read_at IS NULL THEN now() END
            WHERE user_id = $1 AND notification_id = (SELECT notification_id FROM notification_receipts WHERE user_id = $1
              AND created_at < now() - random() * interval '300 days' ORDER BY created_at DESC LIMIT 1)`,
          [adminId],
        ),
      ]);
      writes += 2;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 10 - (performance.now() - t))));
    }
  })();
  const unreadBefore = await unreadNow();
  const t0 = performance.now();
  const count = await time('/api/notifications/unread-count');
  const list = await time('/api/notifications?only_unread=true&limit=50');
  const listAll = await time('/api/notifications?limit=50');
  const writeRate = writes / ((performance.now() - t0) / 1000);
  running = false;
  await writer;
  const exact = await unreadNow();
  const reported = (await get('/api/notifications/unread-count')).count;
  // The old way, for comparison: counting the unread rows.
  const countTimes: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await client.query(
      `SELECT workspace_id, count(*) FROM notification_receipts WHERE user_id = $1 AND read_at IS NULL AND archived_at IS NULL GROUP BY workspace_id`,
      [adminId],
    );
    countTimes.push(performance.now() - t);
  }
  const oldCount = stats(countTimes);
  const counterTimes: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await client.query(`SELECT workspace_id, unread FROM notification_unread_counts WHERE user_id = $1 AND unread > 0`, [adminId]);
    counterTimes.push(performance.now() - t);
  }
  const counterRead = stats(counterTimes);
  // Independent of the unread count: leave 1,000 unread, measure again, then restore.
  await client.query(`CREATE TEMP TABLE kept_unread AS SELECT notification_id FROM notification_receipts
    WHERE user_id = $1 AND read_at IS NULL AND archived_at IS NULL ORDER BY created_at DESC OFFSET 1000`, [adminId]);
  const tMark = performance.now();
  await client.query(`UPDATE notification_receipts SET read_at = now() WHERE user_id = $1 AND notification_id IN (SELECT notification_id FROM kept_unread)`, [adminId]);
  const markMs = performance.now() - tMark;
  const marked = Number((await client.query(`SELECT count(*) AS n FROM kept_unread`)).rows[0].n);
  const countFew = await time('/api/notifications/unread-count');
  const listFew = await time('/api/notifications?only_unread=true&limit=50');
  await client.query(`UPDATE notification_receipts SET read_at = NULL WHERE user_id = $1 AND notification_id IN (SELECT notification_id FROM kept_unread)`, [adminId]);
  await client.query(`DROP TABLE kept_unread`);
  await writers.end();
  log(`inbox: count ${fmt(count)}, unread list ${fmt(list)}, at ${unreadBefore} unread; with 1,000 unread: ${fmt(countFew)} / ${fmt(listFew)}`);
  return [
    `\nInbox of one admin: ${total.toLocaleString('en-US')} receipts, ${unreadBefore.toLocaleString('en-US')} unread, while ${writeRate.toFixed(0)} receipt changes/s arrive (new notifications, reads and unreads):`,
    '',
    '| request | p50 / p99 ms | with 1,000 unread |',
    '| --- | ---: | ---: |',
    `| GET /api/notifications/unread-count | ${fmt(count)} | ${fmt(countFew)} |`,
    `| GET /api/notifications?only_unread=true&limit=50 | ${fmt(list)} | ${fmt(listFew)} |`,
    `| GET /api/notifications?limit=50 | ${fmt(listAll)} | |`,
    `| (SQL alone, no HTTP: reading the counter) | ${fmt(counterRead)} | |`,
    `| (SQL alone, no HTTP: counting the unread rows, as before) | ${fmt(oldCount)} | |`,
    '',
    `After the writes: counter ${reported}, COUNT(*) ${exact} (${reported === exact ? 'exact' : 'MISMATCH'}). ` +
      `Marking ${marked.toLocaleString('en-US')} read in one UPDATE (the trigger updates the counter once): ${markMs.toFixed(0)} ms.`,
  ].join('\n');
}

async function measureRetention(
  client: pg.Client,
  url: string,
  get: Get,
  dataEnd: number,
  before: { feed: string; first: Stats; deep: Stats | undefined }[],
  measureFeeds: (label: string) => Promise<{ feed: string; first: Stats; deep: Stats | undefined; scroll: Stats }[]>,
) {
  const db = createPrismaClient(url, 2);
  const partitionsBefore = (await partitionNames(db)).length;
  // Readers keep hitting the first page while partitions are dropped: their worst wait is the lock's cost.
  let reading = true;
  const readTimes: number[] = [];
  const reader = (async () => {
    while (reading) {
      const t = performance.now();
      await get('/api/admin/activity?page_size=50');
      readTimes.push(performance.now() - t);
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const t0 = performance.now();
  const result = await maintainActivityPartitions(db, { retentionDays: RETENTION_DAYS, now: new Date(dataEnd) });
  const retentionMs = performance.now() - t0;
  await new Promise((resolve) => setTimeout(resolve, 500));
  reading = false;
  await reader;
  const during = stats(readTimes);
  const remaining = Number((await client.query(`SELECT count(*) AS n FROM activities`)).rows[0].n);
  await client.query(`UPDATE bench_meta SET rows = -1`); // the next run loads afresh
  log(`retention ${RETENTION_DAYS} days: dropped ${result.dropped.length} partitions in ${retentionMs.toFixed(0)} ms; readers meanwhile ${fmt(during)} (max ${Math.max(...readTimes).toFixed(1)} ms)`);
  const after = await measureFeeds('after retention: ');
  // Read notifications past the same retention, in batches, while the inbox is being read.
  let inboxReading = true;
  const inboxTimes: number[] = [];
  const inboxReader = (async () => {
    while (inboxReading) {
      const t = performance.now();
      await get('/api/notifications?limit=50');
      inboxTimes.push(performance.now() - t);
    }
  })();
  const t1 = performance.now();
  const pruned = await pruneReadNotifications(db, { retentionDays: RETENTION_DAYS, now: new Date(dataEnd) });
  const pruneMs = performance.now() - t1;
  inboxReading = false;
  await inboxReader;
  const inboxDuring = stats(inboxTimes);
  log(`read-notification retention: ${pruned.receipts} receipts in ${pruned.batches} batches, ${pruneMs.toFixed(0)} ms, longest batch ${pruned.longestBatchMs.toFixed(0)} ms`);
  await db.$disconnect();
  const lines = [
    `\nRetention ${RETENTION_DAYS} days: dropped ${result.dropped.length} monthly partitions (${partitionsBefore} → ${partitionsBefore - result.dropped.length}; ${result.skipped.length} skipped at the lock timeout), ` +
      `${remaining.toLocaleString('en-US')} rows left, in ${retentionMs.toFixed(0)} ms. First-page reads running meanwhile: p50 ${during.p50.toFixed(2)}, p99 ${during.p99.toFixed(2)}, max ${Math.max(...readTimes).toFixed(1)} ms (${readTimes.length} reads).`,
    '',
    `Read-notification retention ${RETENTION_DAYS} days: ${pruned.receipts.toLocaleString('en-US')} read receipts and ${pruned.notifications.toLocaleString('en-US')} notifications deleted in ${pruned.batches} batches of ≤ 2,000 ` +
      `(${(pruneMs / 1000).toFixed(1)} s in all; longest batch, i.e. the longest any row lock is held: ${pruned.longestBatchMs.toFixed(0)} ms). ` +
      `Inbox reads meanwhile: p50 ${inboxDuring.p50.toFixed(2)}, p99 ${inboxDuring.p99.toFixed(2)} ms (${inboxTimes.length} reads).`,
    '',
    '| feed | first page, 12 months → after | by cursor at depth, 12 months → after |',
    '| --- | ---: | ---: |',
  ];
  for (const row of after) {
    const old = before.find((b) => b.feed === row.feed)!;
    lines.push(`| ${row.feed} | ${fmt(old.first)} → ${fmt(row.first)} | ${old.deep ? fmt(old.deep) : '—'} → ${row.deep ? fmt(row.deep) : '—'} |`);
  }
  return lines.join('\n');
}

/**
 * Per-insert cost of each index: the same rows (taken from the loaded log, oldest first) are
 * inserted server-side into a plain table with the key and one index, so the figure is the
 * database's work alone; each variant runs twice and the faster run counts (shared machine).
 */
async function indexCost(client: pg.Client) {
  const n = INDEX_COST_ROWS;
  const indexes: [string, string][] = [
    ['(workspace_id, created_at DESC, id DESC)', 'workspace feed; admin feed by workspace'],
    ['(workspace_id, type, created_at DESC, id DESC)', 'workspace feed by type'],
    ['(workspace_id, severity, created_at DESC, id DESC)', 'workspace feed by severity'],
    ['(type, created_at DESC, id DESC)', 'admin feed by type'],
    ['(severity, created_at DESC, id DESC)', 'admin feed by severity; critical events'],
    ['(actor_user_id, created_at DESC, id DESC)', 'admin feed by actor; user deletion'],
    ['(entity_type, entity_id, created_at DESC, id DESC)', 'both feeds by entity'],
  ];
  log(`index cost: ${n.toLocaleString('en-US')} rows per variant, load average ${load()}`);
  await client.query(`DROP TABLE IF EXISTS index_cost_source`);
  await client.query(`CREATE UNLOGGED TABLE index_cost_source AS SELECT * FROM activities ORDER BY created_at, id LIMIT ${n}`);
  const run = async (label: string, pk: string, extra: string[], ids: 'v7' | 'v4') => {
    let best = Infinity;
    for (let attempt = 0; attempt < 2; attempt++) {
      await client.query(`DROP TABLE IF EXISTS index_cost`);
      await client.query(`CREATE TABLE index_cost (LIKE activities INCLUDING DEFAULTS, PRIMARY KEY ${pk})`);
      for (const [i, columns] of extra.entries()) await client.query(`CREATE INDEX index_cost_${i} ON index_cost ${columns}`);
      await client.query('CHECKPOINT');
      const t = performance.now();
      await client.query(
        `INSERT INTO index_cost SELECT ${ids === 'v4' ? 'gen_random_uuid()' : 'id'}, workspace_id, actor_user_id, type, entity_type, entity_id,
                summary, meta, severity, created_at FROM index_cost_source ORDER BY created_at, id`,
      );
      best = Math.min(best, (performance.now() - t) / 1000);
    }
    await client.query(`DROP TABLE index_cost`);
    log(`index cost, ${label}: ${best.toFixed(2)} s`);
    return best;
  };
  const base = await run('key (created_at, id) only', '(created_at, id)', [], 'v7');
  const perRow = (seconds: number) => (((seconds - base) / n) * 1e6).toFixed(1);
  const lines = [
    `\nIndex cost: INSERT … SELECT of ${n.toLocaleString('en-US')} rows (server-side, in time order) into a plain table with the key and one index; best of 2 (load average ${load()}):`,
    '',
    '| index | serves | insert s | µs per row over the key alone |',
    '| --- | --- | ---: | ---: |',
    `| key (created_at, id) alone | cross-workspace feed, since/until, uniqueness | ${base.toFixed(2)} | (${((base / n) * 1e6).toFixed(1)} µs/row in all) |`,
  ];
  for (const [columns, serves] of indexes) {
    const seconds = await run(columns, '(created_at, id)', [columns], 'v7');
    lines.push(`| ${columns} | ${serves} | ${seconds.toFixed(2)} | ${perRow(seconds)} |`);
  }
  const all = await run('all indexes, UUIDv7', '(created_at, id)', indexes.map(([c]) => c), 'v7');
  const randomKeys = await run('all indexes, random UUID ids', '(created_at, id)', indexes.map(([c]) => c), 'v4');
  const before = await run('the previous layout: random UUID key + 8 indexes', '(id)', [
    '(workspace_id, created_at DESC, id DESC)', '(workspace_id, type, created_at DESC, id DESC)', '(workspace_id, severity, created_at DESC)',
    '(workspace_id, entity_type, entity_id, created_at DESC)', '(created_at DESC, id DESC)', '(type, created_at DESC)', '(severity, created_at DESC)',
    '(actor_user_id, created_at DESC)',
  ], 'v4');
  await client.query(`DROP TABLE index_cost_source`);
  lines.push(`| all of the above (this layout, UUIDv7 ids) | | ${all.toFixed(2)} | ${perRow(all)} |`);
  lines.push(`| the same with random UUID ids | | ${randomKeys.toFixed(2)} | ${perRow(randomKeys)} |`);
  lines.push(`| previous layout: random UUID key + 8 indexes | | ${before.toFixed(2)} | ${perRow(before)} |`);
  console.log(lines.join('\n'));
}

await main();
