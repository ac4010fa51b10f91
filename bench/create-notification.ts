/**
 * npm run bench:create — what one createNotification costs the writer: wall time and CPU per
 * call, sequentially, and throughput with 16 concurrent writers (personal notifications; the
 * stream event, receipt and the after-commit wake-up included: a StreamNotifier runs here as
 * in a server), beside the one-statement SQL equivalent (CREATE_NOTIFICATION_SQL, its heads
 * announced to the same notifier) measured the same way in the same run. Flags: --calls N
 * (1000), --concurrency N (16).
 */
import pg from 'pg';
import { pgConfigFromUrl } from '../server/src/db/connection.ts';
import { createPrismaClient } from '../server/src/db/prisma.ts';
import { createNotification } from '../server/src/services/notifications/create-notification.ts';
import { StreamNotifier } from '../server/src/stream/notifier.ts';
import { announceStreamHeads, parseHeads } from '../server/src/stream/wake-ups.ts';
import { CREATE_NOTIFICATION_SQL, flag, percentile, quietLogger, seedUsers, startBenchDatabase } from './lib.ts';

const CALLS = flag('calls', 1000);
const CONCURRENCY = flag('concurrency', 16);
const log = (message: string) => console.error(`[bench:create] ${message}`);

log('starting a throw-away PostgreSQL');
const database = await startBenchDatabase();
const db = createPrismaClient(database.url, CONCURRENCY + 4);
const pool = new pg.Pool({ ...pgConfigFromUrl(database.url), max: CONCURRENCY });
pool.on('error', () => {});
const notifier = new StreamNotifier(pgConfigFromUrl(database.url), quietLogger);
notifier.start();
try {
  log('seeding 100 members');
  const { workspaceId, users } = await seedUsers(db, 100);
  const ways: Record<string, (i: number) => Promise<unknown>> = {
    createNotification: (i) =>
      createNotification(db, {
        workspaceId,
        userId: users[i % users.length]!.id,
        type: 'task_assigned',
        title: 'New task assigned',
        body: `Task ${i}`,
        targetUrl: `/leads/${i}?tab=tasks`,
        meta: { task_id: String(i) },
      }),
    'SQL equivalent': (i) =>
      pool
        .query<{ heads: string }>(CREATE_NOTIFICATION_SQL, [workspaceId, users[i % users.length]!.id, `Task ${i}`])
        .then((result) => announceStreamHeads(parseHeads(result.rows[0]?.heads), true)),
  };

  const rows: Record<string, { p50: number; p99: number; cpu: number; sequential: number; concurrent: number; concurrentCpu: number }> = {};
  for (const [name, create] of Object.entries(ways)) {
    log(`${name}: warm-up, then ${CALLS} sequential calls`);
    for (let i = 0; i < 100; i++) await create(i);
    // And with the pool's connections all open before the concurrent phase is timed.
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => create(i)));
    const times: number[] = [];
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    for (let i = 0; i < CALLS; i++) {
      const start = performance.now();
      await create(i);
      times.push(performance.now() - start);
    }
    const wall = performance.now() - wallStart;
    const cpu = process.cpuUsage(cpuStart);
    times.sort((a, b) => a - b);

    log(`${name}: ${CALLS * 2} calls, ${CONCURRENCY} at a time`);
    const concurrentCpuStart = process.cpuUsage();
    const concurrentStart = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CALLS * 2) await create(next++);
      }),
    );
    const concurrentCpu = process.cpuUsage(concurrentCpuStart);
    rows[name] = {
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      cpu: (cpu.user + cpu.system) / 1000 / CALLS,
      sequential: CALLS / (wall / 1000),
      concurrent: (CALLS * 2) / ((performance.now() - concurrentStart) / 1000),
      concurrentCpu: (concurrentCpu.user + concurrentCpu.system) / 1000 / (CALLS * 2),
    };
  }

  const a = rows.createNotification!;
  const b = rows['SQL equivalent']!;
  const load = (await import('node:os')).loadavg().map((n) => n.toFixed(2)).join(' ');
  console.log(`\nload average at the end: ${load} (2 cores, shared)`);
  console.log(`\n| personal notifications, ${CALLS} calls | createNotification | SQL equivalent | ratio |`);
  console.log('| --- | ---: | ---: | ---: |');
  console.log(`| sequential wall p50 / p99 | ${a.p50.toFixed(2)} / ${a.p99.toFixed(2)} ms | ${b.p50.toFixed(2)} / ${b.p99.toFixed(2)} ms | ${(a.p50 / b.p50).toFixed(2)} (p50) |`);
  console.log(`| writer CPU per call (sequential) | ${a.cpu.toFixed(3)} ms | ${b.cpu.toFixed(3)} ms | ${(a.cpu / b.cpu).toFixed(2)} |`);
  console.log(`| writer CPU per call (${CONCURRENCY} concurrent) | ${a.concurrentCpu.toFixed(3)} ms | ${b.concurrentCpu.toFixed(3)} ms | ${(a.concurrentCpu / b.concurrentCpu).toFixed(2)} |`);
  console.log(`| sequential throughput | ${a.sequential.toFixed(0)}/s | ${b.sequential.toFixed(0)}/s | ${(b.sequential / a.sequential).toFixed(2)} |`);
  console.log(`| ${CONCURRENCY} concurrent writers | ${a.concurrent.toFixed(0)}/s | ${b.concurrent.toFixed(0)}/s | ${(b.concurrent / a.concurrent).toFixed(2)} |`);
} finally {
  await notifier.close();
  await pool.end();
  await db.$disconnect();
  await database.stop();
}
