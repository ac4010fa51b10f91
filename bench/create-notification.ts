/**
 * npm run bench:create — what one createNotification costs the writer: wall time and CPU per
 * call, sequentially, and throughput with 16 concurrent writers (personal notifications; the
 * stream event, receipt and NOTIFY included). Flags: --calls N (default 1000).
 */
import { createPrismaClient } from '../server/src/db/prisma.ts';
import { createNotification } from '../server/src/services/notifications/create-notification.ts';
import { flag, seedUsers, startBenchDatabase } from './lib.ts';

const CALLS = flag('calls', 1000);
const log = (message: string) => console.error(`[bench:create] ${message}`);

const database = await startBenchDatabase();
const db = createPrismaClient(database.url, 20);
try {
  const { workspaceId, users } = await seedUsers(db, 100);
  const create = (i: number) =>
    createNotification(db, {
      workspaceId,
      userId: users[i % users.length]!.id,
      type: 'task_assigned',
      title: 'New task assigned',
      body: `Task ${i}`,
      targetUrl: `/leads/${i}?tab=tasks`,
      meta: { task_id: String(i) },
    });
  for (let i = 0; i < 100; i++) await create(i); // warm-up

  log(`${CALLS} sequential calls`);
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
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2);

  log(`${CALLS} calls, 16 at a time`);
  const concurrentStart = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < CALLS) await create(next++);
    }),
  );
  const perSecond = CALLS / ((performance.now() - concurrentStart) / 1000);

  console.log(`\n| createNotification (personal), ${CALLS} calls | value |`);
  console.log('| --- | ---: |');
  console.log(`| sequential wall p50 / p99 | ${p(0.5)} / ${p(0.99)} ms |`);
  console.log(`| writer CPU per call | ${((cpu.user + cpu.system) / 1000 / CALLS).toFixed(2)} ms |`);
  console.log(`| sequential throughput | ${(CALLS / (wall / 1000)).toFixed(0)}/s |`);
  console.log(`| 16 concurrent writers | ${perSecond.toFixed(0)}/s |`);
} finally {
  await db.$disconnect();
  await database.stop();
}
