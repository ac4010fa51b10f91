/**
 * npm run bench:ingest — POST /api/events throughput and per-call latency, in batches and as
 * single events, while the stream is on and N clients hold it.
 *
 *   npm run bench:ingest -- --seconds 20 --streams 1000
 *
 * The server and the SSE clients (bench/sse-clients.ts) run in processes of their own; this
 * process only sends. Each phase keeps `--concurrency` calls in flight over keep-alive
 * connections on 127.0.0.1 for `--seconds`: batches of `--batch` (100) events, then single
 * events. 1 % of the events are `playbook.completed`, which notifies the workspace's 10
 * admins (all streaming), so notifications and stream deliveries happen inside the ingest
 * transactions; the rest are plain activity. Each call carries an Idempotency-Key, as the
 * integration guide asks of senders.
 *
 * `--chain off` disables the trigger that chains each activity entry (a diagnostic for an A/B
 * of the hash chain's cost, never a setting: entries recorded so are outside the chain).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { createPrismaClient } from '../server/src/db/prisma.ts';
import { hashToken } from '../server/src/lib/tokens.ts';
import {
  cpuSeconds,
  flag,
  loadAverage,
  log,
  percentile,
  seedUsers,
  sleep,
  startBenchDatabase,
  startServer,
  startStreamClients,
} from './lib.ts';

const SECONDS = flag('seconds', 20);
const STREAMS = flag('streams', 1000);
const BATCH = flag('batch', 100);
const CONCURRENCY = flag('concurrency', 8);
const SINGLE_CONCURRENCY = flag('single-concurrency', 16);
const ADMINS = 10;

const TYPES = ['lead.created', 'lead.updated', 'email.found', 'email.verified', 'campaign.sent', 'job.created', 'job.completed', 'task.created'];

let sequence = 0;
function event() {
  const n = sequence++;
  if (n % 100 === 50) {
    return { type: 'playbook.completed', summary: `Playbook run ${n} completed`, entity_type: 'playbook_run', entity_id: `run-${n}`, meta: { playbook: 'Bench', leads_added: 3 } };
  }
  return {
    type: TYPES[n % TYPES.length],
    summary: `Event ${n} from the CRM sync`,
    entity_type: 'lead',
    entity_id: `crm-${n % 5000}`,
    meta: { source_id: n, sync: 'nightly' },
  };
}

async function phase(port: number, key: string, size: number, concurrency: number, serverPid: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const post = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/events',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'x-api-key': key, 'idempotency-key': randomUUID() },
        },
        (response) => {
          response.resume();
          response.on('end', () => (response.statusCode === 201 ? resolve(response.statusCode) : reject(new Error(`POST /api/events answered ${response.statusCode}`))));
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  // Warm-up: JIT, connections, prepared statements.
  for (let i = 0; i < 20; i++) await post(JSON.stringify({ events: Array.from({ length: size }, event) }));
  const times: number[] = [];
  let errors = 0;
  const cpuBefore = cpuSeconds(serverPid);
  const started = performance.now();
  const until = started + SECONDS * 1000;
  let lastReport = started;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const body = JSON.stringify({ events: Array.from({ length: size }, event) });
        const start = performance.now();
        try {
          await post(body);
          times.push(performance.now() - start);
        } catch (error) {
          if (errors++ === 0) console.error(error);
        }
        if (performance.now() - lastReport > 5000) {
          lastReport = performance.now();
          log(`  ${((times.length * size) / ((lastReport - started) / 1000)).toFixed(0)} events/s so far`);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const serverCores = (cpuSeconds(serverPid) - cpuBefore) / elapsed;
  agent.destroy();
  times.sort((a, b) => a - b);
  return {
    calls: times.length,
    errors,
    calls_per_s: Math.round(times.length / elapsed),
    events_per_s: Math.round((times.length * size) / elapsed),
    p50_ms: +percentile(times, 50).toFixed(1),
    p99_ms: +percentile(times, 99).toFixed(1),
    server_cpu_cores: +serverCores.toFixed(2),
    server_cpu_ms_per_call: +((serverCores * elapsed * 1000) / times.length).toFixed(2),
  };
}

async function main() {
  log(`load average ${loadAverage()} (2 cores shared with other work); setting up a database with ${STREAMS} users`);
  const database = await startBenchDatabase();
  const db = createPrismaClient(database.url, 4);
  const { workspaceId, users } = await seedUsers(db, STREAMS);
  await db.membership.updateMany({ where: { workspaceId, userId: { in: users.slice(0, ADMINS).map((user) => user.id) } }, data: { role: 'admin' } });
  const key = `tnk_bench_${randomUUID()}`;
  await db.apiKey.create({ data: { workspaceId, name: 'bench', prefix: key.slice(0, 12), keyHash: hashToken(key) } });
  const chainAt = process.argv.indexOf('--chain');
  const chained = !(chainAt >= 0 && process.argv[chainAt + 1] === 'off');
  if (!chained) await db.$executeRawUnsafe('ALTER TABLE activities DISABLE TRIGGER activities_chain');
  log(`activity hash chain: ${chained ? 'on' : 'off (A/B diagnostic)'}`);
  await db.$disconnect();

  log('starting the server');
  // The per-key write limit (1,200 a minute by default) would answer most single-event calls
  // 429: this measures what the path holds, so the limit is lifted for the run.
  const server = await startServer(database.url, { RATE_LIMIT_WRITES_PER_API_KEY: '1000000' });
  let deliveries = 0;
  log(`opening ${STREAMS} streams in a separate process`);
  const clients = await startStreamClients(
    users.map((user) => ({ port: server.port, path: '/api/notifications/stream', token: user.token })),
    Math.ceil(STREAMS / 5000),
    (events) => (deliveries += events.length),
  );
  try {
    log(`${STREAMS - clients.failed} streams open (${clients.failed} failed); load average ${loadAverage()}`);
    log(`batches of ${BATCH}, ${CONCURRENCY} calls in flight, ${SECONDS} s`);
    const batches = await phase(server.port, key, BATCH, CONCURRENCY, server.pid);
    await sleep(1000);
    const batchDeliveries = deliveries;
    log(`single events, ${SINGLE_CONCURRENCY} calls in flight, ${SECONDS} s`);
    const singles = await phase(server.port, key, 1, SINGLE_CONCURRENCY, server.pid);
    await sleep(1000);
    console.log(JSON.stringify({ streams: STREAMS, failed_streams: clients.failed, batches, singles, stream_deliveries: { batches: batchDeliveries, total: deliveries } }, null, 2));
    console.log(`\nload average at the end: ${loadAverage()} (2 cores, shared)`);
    console.log('\n| POST /api/events, ' + `${STREAMS} streams open | events/s | calls/s | per call p50 / p99 | server CPU | server CPU per call |`);
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const [name, row] of [[`batches of ${BATCH}, ${CONCURRENCY} in flight`, batches], [`single events, ${SINGLE_CONCURRENCY} in flight`, singles]] as const) {
      console.log(`| ${name} | ${row.events_per_s} | ${row.calls_per_s} | ${row.p50_ms} / ${row.p99_ms} ms | ${row.server_cpu_cores} core | ${row.server_cpu_ms_per_call} ms |`);
    }
  } finally {
    clients.stop();
    server.stop();
    await database.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
