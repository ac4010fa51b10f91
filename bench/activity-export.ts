/**
 * npm run bench:export — memory of the server while it streams a large activity export, and
 * the latency of activity search.
 *
 * Seeds --rows activities (default 1,000,000) in one workspace, starts server/src/server.ts in
 * a child process (so its memory is its own), then downloads GET /api/activity/export of every
 * row over loopback, reading as fast as it can, while sampling the server's RSS from /proc
 * every 50 ms. Then measures p50/p99 of GET /api/activity?q= for a selective query (~20 rows
 * match) and an unselective one (every row matches), sequential requests.
 *
 * Flags: --rows N, --format csv|ndjson (csv), --requests N per search (200), --semi-space MB
 * (the server's V8 young-generation cap, --max-semi-space-size; default: V8's own, up to 16 MB
 * per semi-space: the young generation is where the rows of a batch live and die).

 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPrismaClient } from '../server/src/db/prisma.ts';
import { flag, type Memory, percentile, seedUsers, startBenchDatabase, startServer } from './lib.ts';

const ROWS = flag('rows', 1_000_000);
const REQUESTS = flag('requests', 200);
const SEMI_SPACE_MB = flag('semi-space', 0);
const FORMAT = process.argv.includes('ndjson') ? 'ndjson' : 'csv';
const log = (message: string) => console.error(`[bench:export] ${message}`);
const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
const mb = (kb: number) => (kb / 1024).toFixed(1);

const database = await startBenchDatabase();
const db = createPrismaClient(database.url, 4);
const { workspaceId, users } = await seedUsers(db, 1);
const admin = users[0]!;
await db.membership.updateMany({ where: { userId: admin.id }, data: { role: 'admin' } });

log(`seeding ${ROWS.toLocaleString()} activities`);
const seedStart = performance.now();
for (let start = 1; start <= ROWS; start += 100_000) {
  const end = Math.min(ROWS, start + 99_999);
  // Realistic rows: a summary with words and a number, an entity id, meta with a few values.
  await db.$executeRawUnsafe(`
    INSERT INTO activities (workspace_id, actor_user_id, type, entity_type, entity_id, summary, meta, severity, created_at)
    SELECT '${workspaceId}'::uuid, CASE WHEN g % 3 = 0 THEN '${admin.id}'::uuid END,
           (ARRAY['lead.created','lead.updated','task.created','campaign.sent','job.failed'])[1 + (g % 5)],
           'lead', 'lead-' || (g % 50000),
           'Updated lead Account ' || (g % 50000) || ': status, stage (' || g || ')',
           jsonb_build_object('changes', jsonb_build_object('status', jsonb_build_object('from', 'new', 'to', 'qualified')), 'n', g),
           CASE WHEN g % 5 = 4 THEN 'critical'::"Severity" ELSE 'info'::"Severity" END,
           now() - (g || ' seconds')::interval
      FROM generate_series(${start}, ${end}) g`);
}
await db.$executeRawUnsafe('ANALYZE activities');
log(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

// gc-probe: asked, the server collects garbage and reports its memory (what is really kept).
const v8Flags = SEMI_SPACE_MB > 0 ? [`--max-semi-space-size=${SEMI_SPACE_MB}`] : [];
const server = await startServer(database.url, {}, v8Flags);
const afterGc = server.liveMemory;
try {
  const base = server.url;
  const headers = { authorization: `Bearer ${admin.token}` };
  // Warm the export path (and the JIT) with a small export first, so the baseline includes it.
  for (let i = 0; i < 3; i++) await (await fetch(`${base}/api/activity/export?format=${FORMAT}&type=job.failed&since=${new Date(Date.now() - 3600_000).toISOString()}`, { headers })).text();
  await sleep(1000);
  const gcBefore = await afterGc();
  const rssBefore = rssKb(server.pid);

  log(`exporting every row as ${FORMAT}`);
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, rssKb(server.pid))), 50);
  // Every 2 s, the memory left after a full GC: flat if the export keeps nothing.
  const gcSamples: Memory[] = [];
  let probing = false;
  const gcSampler = setInterval(() => {
    if (probing) return;
    probing = true;
    void afterGc().then((m) => (gcSamples.push(m), (probing = false)));
  }, 2000);
  const start = performance.now();
  const response = await fetch(`${base}/api/activity/export?format=${FORMAT}`, { headers });
  if (!response.ok) throw new Error(`export: ${response.status} ${await response.text()}`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
  }
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  clearInterval(gcSampler);
  const rssAfter = rssKb(server.pid);
  const gcMax = gcSamples.reduce(
    (max, m) => ({ rss: Math.max(max.rss, m.rss), heapUsed: Math.max(max.heapUsed, m.heapUsed), external: Math.max(max.external, m.external) }),
    gcBefore,
  );
  const rows = FORMAT === 'csv' ? lines - 1 : lines;
  if (rows !== ROWS) throw new Error(`export had ${rows} rows, expected ${ROWS}`);

  log('searching');
  const search = async (q: string) => {
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < REQUESTS + 20; i++) {
      const t = performance.now();
      const page = (await (await fetch(`${base}/api/activity?page_size=50&q=${encodeURIComponent(q)}`, { headers })).json()) as { items: unknown[] };
      if (i >= 20) times.push(performance.now() - t);
      count = page.items.length;
    }
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50), p99: percentile(times, 99), count };
  };
  const selective = await search('lead-4242');
  const unselective = await search('qualified');
  const plain = await search('');

  console.log(`\n| export of ${ROWS.toLocaleString()} rows (${FORMAT})${SEMI_SPACE_MB ? `, --max-semi-space-size=${SEMI_SPACE_MB}` : ''} | |`);
  console.log('| --- | ---: |');
  console.log(`| bytes | ${(bytes / 1024 / 1024).toFixed(1)} MB |`);
  console.log(`| time | ${seconds.toFixed(1)} s (${Math.round(rows / seconds).toLocaleString()} rows/s) |`);
  console.log(`| server RSS before / peak / after | ${mb(rssBefore)} / ${mb(peak)} / ${mb(rssAfter)} MB |`);
  console.log(`| RSS growth (peak − before) | **${mb(peak - rssBefore)} MB** |`);
  console.log(`| after a forced GC, before → highest of ${gcSamples.length} samples during the export: RSS | ${mb(gcBefore.rss / 1024)} → ${mb(gcMax.rss / 1024)} MB |`);
  console.log(`| … JS heap in use | ${mb(gcBefore.heapUsed / 1024)} → ${mb(gcMax.heapUsed / 1024)} MB |`);
  console.log(`| … external (Buffers, Wasm) | ${mb(gcBefore.external / 1024)} → ${mb(gcMax.external / 1024)} MB |`);
  console.log(`\n| GET /api/activity?page_size=50 (${ROWS.toLocaleString()} rows in the workspace, ${REQUESTS} requests) | rows | p50 ms | p99 ms |`);
  console.log('| --- | ---: | ---: | ---: |');
  console.log(`| q=lead-4242 (selective: ${ROWS / 50000} rows match) | ${selective.count} | ${selective.p50.toFixed(2)} | ${selective.p99.toFixed(2)} |`);
  console.log(`| q=qualified (every row matches) | ${unselective.count} | ${unselective.p50.toFixed(2)} | ${unselective.p99.toFixed(2)} |`);
  console.log(`| no q (first page) | ${plain.count} | ${plain.p50.toFixed(2)} | ${plain.p99.toFixed(2)} |`);
} finally {
  server.stop();
  await db.$disconnect();
  await database.stop();
}
