/**
 * npm run bench:api — latency of the hot read endpoints on a large database.
 *
 * Seeds 200,000 activities across 20 workspaces and 20,000 notifications for one admin, then
 * measures (real HTTP on loopback, sequential requests) the first page, a deep cursor page and
 * a deep offset page of each feed, plus the unread count the clients call after every event.
 * Reports p50/p99 per endpoint and the deep/first ratios (the machine is noisy: compare ratios
 * from one run, not absolute times across runs).
 *
 * Flags: --activities N (default 200000), --requests N per endpoint (default 300).
 */
import { parseArgs } from 'node:util';
import { buildApp } from '../server/src/app.ts';
import { loadConfig } from '../server/src/config.ts';
import { withDatabase } from '../server/src/db/connection.ts';
import { startScratchPostgres } from '../server/src/db/embedded-postgres.ts';
import { migrateDatabase } from '../server/src/db/migrate.ts';
import { createDatabaseIfMissing } from '../server/src/db/prepare-database.ts';
import { createPrismaClient } from '../server/src/db/prisma.ts';
import { hashPassword } from '../server/src/lib/passwords.ts';
import { freePort } from './lib.ts';

const { values } = parseArgs({
  options: { activities: { type: 'string', default: '200000' }, requests: { type: 'string', default: '300' } },
});
const ACTIVITIES = Number(values.activities);
const REQUESTS = Number(values.requests);
const log = (message: string) => console.error(`[bench:api] ${message}`);
// The deep pages are page 100 (50 rows each) of one of the 20 workspaces' feeds.
const MIN_ACTIVITIES = 20 * 50 * 101;
if (!(ACTIVITIES >= MIN_ACTIVITIES) || !(REQUESTS >= 1)) {
  console.error(`bench:api: --activities must be at least ${MIN_ACTIVITIES.toLocaleString()} (page 100 of one workspace's feed), --requests at least 1; e.g. npm run bench:api -- --activities 200000 --requests 300`);
  process.exit(2);
}

const pg = await startScratchPostgres(await freePort());
try {
  await createDatabaseIfMissing(pg.url, 'bench');
  const url = withDatabase(pg.url, 'bench');
  log('migrating');
  await migrateDatabase(url);
  const db = createPrismaClient(url, 10);

  log(`seeding ${ACTIVITIES.toLocaleString()} activities and 20,000 notifications`);
  const passwordHash = await hashPassword('bench-password');
  const admin = await db.user.create({ data: { email: 'admin@bench.test', name: 'Bench Admin', passwordHash } });
  const workspaces = [];
  for (let i = 0; i < 20; i++) {
    const workspace = await db.workspace.create({ data: { name: `Workspace ${i}`, slug: `w${i}` } });
    workspaces.push(workspace.id);
  }
  await db.membership.create({ data: { workspaceId: workspaces[0]!, userId: admin.id, role: 'admin' } });
  await db.$executeRawUnsafe(`
    INSERT INTO activities (workspace_id, actor_user_id, type, entity_type, entity_id, summary, meta, severity, created_at)
    SELECT (ARRAY['${workspaces.join("','")}']::uuid[])[1 + (g % 20)], NULL,
           (ARRAY['lead.created','lead.updated','task.created','campaign.sent','job.failed'])[1 + (g % 5)],
           'lead', (g % 5000)::text, 'activity ' || g, '{}',
           CASE WHEN g % 5 = 4 THEN 'critical'::"Severity" ELSE 'info'::"Severity" END,
           now() - (g || ' seconds')::interval
      FROM generate_series(1, ${ACTIVITIES}) g`);
  await db.$executeRawUnsafe(`
    WITH n AS (
      INSERT INTO notifications (workspace_id, user_id, type, title, body, created_at, updated_at)
      SELECT '${workspaces[0]}'::uuid, '${admin.id}'::uuid, 'task_assigned', 'Task ' || g, '', now() - (g || ' seconds')::interval, now()
        FROM generate_series(1, 20000) g
      RETURNING id, created_at)
    INSERT INTO notification_receipts (notification_id, user_id, workspace_id, created_at, read_at)
    SELECT id, '${admin.id}'::uuid, '${workspaces[0]}'::uuid, created_at,
           CASE WHEN random() < 0.9 THEN now() END FROM n`);
  await db.$executeRawUnsafe('ANALYZE');

  const app = await buildApp({ config: { ...loadConfig({}), databaseUrl: url, webRoot: '/nonexistent' }, prisma: db });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@bench.test', password: 'bench-password' }),
  });
  const { token } = (await login.json()) as { token: string };
  const headers = { authorization: `Bearer ${token}` };
  const get = async (pathAndQuery: string) => {
    const response = await fetch(base + pathAndQuery, { headers });
    if (!response.ok) throw new Error(`${pathAndQuery}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<{ next_cursor: string | null }>;
  };

  // A cursor deep into each feed, found by walking it once.
  const deepCursor = async (feed: string, pages: number) => {
    let cursor: string | null = null;
    for (let i = 0; i < pages; i++) cursor = (await get(`${feed}${cursor ? `&cursor=${cursor}` : ''}`)).next_cursor;
    return cursor!;
  };
  const activityDeep = await deepCursor('/api/activity?page_size=50', 100);
  const notificationsDeep = await deepCursor('/api/notifications?limit=50', 100);

  const endpoints: [string, string][] = [
    ['floor: /healthz (no auth, no query)', '/healthz'],
    ['activity, first page', '/api/activity?page_size=50'],
    ['activity, page 100 by cursor', `/api/activity?page_size=50&cursor=${activityDeep}`],
    ['activity, page 100 by offset', '/api/activity?page_size=50&page=100'],
    ['activity, type filter', '/api/activity?page_size=50&type=job.failed'],
    ['admin activity, all workspaces', '/api/admin/activity?page_size=50'],
    ['notifications, first page', '/api/notifications?limit=50'],
    ['notifications, page 100 by cursor', `/api/notifications?limit=50&cursor=${notificationsDeep}`],
    ['notifications, only unread', '/api/notifications?limit=50&only_unread=true'],
    ['unread count', '/api/notifications/unread-count'],
  ];
  await db.user.update({ where: { id: admin.id }, data: { isSuperAdmin: true } });
  const results: { name: string; p50: number; p99: number }[] = [];
  for (const [name, pathAndQuery] of endpoints) {
    for (let i = 0; i < 50; i++) await get(pathAndQuery); // warm-up
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const start = performance.now();
      await get(pathAndQuery);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
    results.push({ name, p50: p(0.5), p99: p(0.99) });
    log(`${name}: p50 ${p(0.5).toFixed(2)} ms, p99 ${p(0.99).toFixed(2)} ms`);
  }
  const byName = Object.fromEntries(results.map((r) => [r.name, r]));
  console.log(`\n| endpoint (${ACTIVITIES.toLocaleString()} activities, 20,000 notifications; ${REQUESTS} requests each) | p50 ms | p99 ms |`);
  console.log('| --- | ---: | ---: |');
  for (const r of results) console.log(`| ${r.name} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`);
  const ratio = (a: string, b: string) => (byName[a]!.p50 / byName[b]!.p50).toFixed(2);
  console.log(`\nratios of p50 (same run): activity page 100 by cursor / first page = ${ratio('activity, page 100 by cursor', 'activity, first page')}, ` +
    `by offset / first page = ${ratio('activity, page 100 by offset', 'activity, first page')}, ` +
    `notifications page 100 by cursor / first page = ${ratio('notifications, page 100 by cursor', 'notifications, first page')}`);
  await app.close();
  await db.$disconnect();
} finally {
  await pg.stop();
}
