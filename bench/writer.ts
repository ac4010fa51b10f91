/**
 * A child process of the benchmarks that creates notifications at a steady rate, each for a
 * random user of its list, and reports when each was sent and acknowledged (on the clock
 * shared by the processes): `{ created: [{ key, sentAt, committedAt }] }` every 50 ms, then
 * `{ done: WriterDone }` (bench/lib.ts). The key is the notification's title.
 * Ways: `app` through createNotification, `sql` through its one-statement equivalent (both
 * woken after commit by this process's StreamNotifier, as a server's writes are),
 * `nchan` published to nginx-nchan (a same-sized message on the user's channel).
 */
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { pgConfigFromUrl } from '../server/src/db/connection.ts';
import { createPrismaClient, poolOfClient } from '../server/src/db/prisma.ts';
import { createNotification } from '../server/src/services/notifications/create-notification.ts';
import { StreamNotifier } from '../server/src/stream/notifier.ts';
import { announceStreamHeads, parseHeads } from '../server/src/stream/wake-ups.ts';
import { CREATE_NOTIFICATION_SQL, now, quietLogger, type WriterDone } from './lib.ts';

export interface WriterTask {
  way: 'app' | 'sql' | 'nchan';
  databaseUrl: string;
  /** nchan: where its publisher location listens. */
  nchanPort?: number;
  workspaceId: string;
  /** Users to notify; nchan channels are their index in this list plus `channelBase`. */
  userIds: string[];
  channelBase: number;
  prefix: string;
  rate: number;
  seconds: number;
  maxInFlight: number;
}

/** The body of a notification as the app streams it, for nchan to carry the same bytes. */
export function sampleItem(title: string) {
  return JSON.stringify({
    id: '0b7c6f1e-8d2a-4f4e-9c1a-3e5d7f9b2c4a',
    workspace_id: '5a1e9c3d-7b2f-4e6a-8d0c-1f3b5d7e9a2c',
    user_id: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
    type: 'bench',
    title,
    body: '',
    target_url: null,
    meta: {},
    read_at: null,
    archived_at: null,
    created_at: new Date().toISOString(),
  });
}

process.once('message', async (task: WriterTask) => {
  const db = task.way === 'app' ? createPrismaClient(task.databaseUrl, task.maxInFlight) : undefined;
  const pool = task.way === 'sql' ? new pg.Pool({ ...pgConfigFromUrl(task.databaseUrl), max: task.maxInFlight }) : undefined;
  pool?.on('error', () => {});
  const notifier = task.way === 'nchan' ? undefined : new StreamNotifier(pgConfigFromUrl(task.databaseUrl), quietLogger);
  notifier?.start();
  const agent = new http.Agent({ keepAlive: true, maxSockets: task.maxInFlight });
  const publish = (channel: number, body: string) =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(
        { host: '127.0.0.1', port: task.nchanPort, path: `/pub/${channel}`, method: 'POST', agent, headers: { 'content-type': 'application/json' } },
        (response) => {
          response.resume();
          response.on('end', () => (response.statusCode! < 300 ? resolve() : reject(new Error(`nchan answered ${response.statusCode}`))));
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  const create = (key: string, index: number) =>
    task.way === 'app'
      ? createNotification(db!, { workspaceId: task.workspaceId, userId: task.userIds[index]!, type: 'bench', title: key })
      : task.way === 'sql'
        ? pool!
            .query<{ heads: string }>(CREATE_NOTIFICATION_SQL, [task.workspaceId, task.userIds[index]!, key])
            .then((result) => announceStreamHeads(parseHeads(result.rows[0]?.heads), true))
        : publish(task.channelBase + index, sampleItem(key));
  // Warm-up (connections, prepared statements, JIT): not counted, and ignored by the clients' tally.
  // Concurrent, so that the pool has opened its connections before the clock starts: a server's
  // pool is warm, and opening one (a backend fork and SCRAM on both sides) mid-run stalled the
  // writer's event loop for hundreds of milliseconds on this machine.
  for (let round = 0; round < 2; round++) {
    await Promise.all(
      Array.from({ length: task.maxInFlight }, (_, i) => create(`${task.prefix}warm-${round}-${i}`, i % task.userIds.length)),
    );
  }

  let created: { key: string; sentAt: number; committedAt: number }[] = [];
  const reporter = setInterval(() => {
    if (created.length === 0) return;
    process.send!({ created });
    created = [];
  }, 50);
  let issued = 0;
  let inFlight = 0;
  let skipped = 0;
  let errors = 0;
  const writerPool = db ? poolOfClient.get(db) : pool;
  const poolWait = { samples: 0, withWaiters: 0, maxWaiting: 0 };
  const poolSampler = setInterval(() => {
    if (!writerPool) return;
    poolWait.samples++;
    if (writerPool.waitingCount > 0) poolWait.withWaiters++;
    poolWait.maxWaiting = Math.max(poolWait.maxWaiting, writerPool.waitingCount);
  }, 10);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = (performance.now() - start) / 1000;
      if (elapsed >= task.seconds) {
        clearInterval(timer);
        resolve();
        return;
      }
      const due = Math.floor(elapsed * task.rate);
      while (issued < due) {
        if (inFlight >= task.maxInFlight) {
          skipped += due - issued;
          issued = due;
          break;
        }
        const key = `${task.prefix}${issued++}`;
        const index = Math.floor(Math.random() * task.userIds.length);
        inFlight++;
        const sentAt = now();
        create(key, index)
          .then(() => created.push({ key, sentAt, committedAt: now() }))
          .catch((error) => {
            if (errors++ === 0) console.error(error);
          })
          .finally(() => inFlight--);
      }
    }, 2);
  });
  const waitUntil = Date.now() + 10_000;
  while (inFlight > 0 && Date.now() < waitUntil) await new Promise((resolve) => setTimeout(resolve, 20));
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(reporter);
  clearInterval(poolSampler);
  loopDelay.disable();
  if (created.length > 0) process.send!({ created });
  const done: WriterDone = {
    issued,
    skipped,
    errors,
    cpuMs: (cpu.user + cpu.system) / 1000,
    poolWait,
    eventLoopDelayP99Ms: +(loopDelay.percentile(99) / 1e6).toFixed(1),
  };
  process.send!({ done });
  await notifier?.close();
  await db?.$disconnect();
  await pool?.end();
  agent.destroy();
  process.exit(0);
});
process.on('disconnect', () => process.exit(0));
