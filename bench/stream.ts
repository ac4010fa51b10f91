/**
 * Holds N notification streams on one server process and measures create→receive latency
 * and the server's memory per stream.
 *
 *   npm run bench:stream -- --streams 1000 --rate 500 --seconds 10
 *
 * The server runs alone in a child process (its memory is read from /proc), the streams are
 * plain HTTP clients over loopback in this process, and notifications are created here, each
 * for a random streaming user (personal notifications), with the same writes as
 * createNotification in one SQL statement (CREATE_NOTIFICATION_SQL; `--via prisma` uses the
 * app's createNotification itself, which is CPU-bound far below 500/s on 2 cores).
 * Latency runs from just before createNotification is called (so it includes the creating
 * transaction) to the event being parsed by the client. 10,000 streams need 10,000 file
 * descriptors in each process: `ulimit -n 20000` first if `ulimit -n` is lower.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createPrismaClient } from '../server/src/db/prisma.ts';
import { createNotification } from '../server/src/services/notifications/create-notification.ts';
import pg from 'pg';
import { pgConfigFromUrl } from '../server/src/db/connection.ts';
import { CREATE_NOTIFICATION_SQL, flag, freePort, percentile, seedUsers, startBenchDatabase, type BenchUser } from './lib.ts';

const STREAMS = flag('streams', 1000);
const RATE = flag('rate', 500);
const SECONDS = flag('seconds', 10);
const MAX_IN_FLIGHT = flag('in-flight', 64);
/** `--via prisma`: create through the app's createNotification instead of the equivalent SQL. */
const VIA_PRISMA = process.argv.includes('prisma');
const repoRoot = path.resolve(import.meta.dirname, '..');

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
}

const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
/** utime + stime of a process, in seconds (clock ticks are 1/100 s on Linux). */
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

async function main() {
  log(`setting up a database with ${STREAMS} users`);
  const database = await startBenchDatabase();
  const db = createPrismaClient(database.url, 20);
  const { workspaceId, users } = await seedUsers(db, STREAMS);
  const writers = new pg.Pool({ ...pgConfigFromUrl(database.url), max: 16 });
  // Shutting PostgreSQL down at the end terminates idle pool connections: not a failure.
  writers.on('error', () => {});

  const port = await freePort();
  const server = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', '--import', './bench/gc-probe.ts', 'server/src/server.ts'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO_DATA: 'false', LOG_LEVEL: 'warn' },
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
  /** The server's memory right after a full garbage collection. */
  const liveMemory = () =>
    new Promise<Memory>((resolve) => {
      probes.push(resolve);
      server.kill('SIGUSR2');
    });
  const cleanup = async () => {
    server.kill('SIGKILL');
    await writers.end();
    await db.$disconnect();
    await database.stop();
  };
  try {
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error('the server did not start within 60 s');
      if (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) break;
      await sleep(200);
    }
    // Warm the server's code paths before the baseline, so that the delta is the streams'.
    for (const user of users.slice(0, 5)) await fetch(`${base}/api/notifications/unread-count`, { headers: { authorization: `Bearer ${user.token}` } });
    await sleep(1000);
    const rssBefore = rssKb(server.pid!);
    const liveBefore = await liveMemory();

    log(`opening ${STREAMS} streams`);
    const sentAt = new Map<string, number>();
    const committedAt = new Map<string, number>();
    const receivedAt = new Map<string, number>();
    const latencies: number[] = [];
    let received = 0;
    let failedStreams = 0;
    const sockets: http.ClientRequest[] = [];
    const open = (user: BenchUser) =>
      new Promise<void>((resolve, reject) => {
        const request = http.request({ host: '127.0.0.1', port, path: '/api/notifications/stream', agent: false, headers: { authorization: `Bearer ${user.token}` } });
        sockets.push(request);
        request.on('error', (error) => {
          failedStreams++;
          reject(error);
        });
        request.on('response', (response) => {
          if (response.statusCode !== 200) return reject(new Error(`stream answered ${response.statusCode}`));
          response.setEncoding('utf8');
          let buffer = '';
          let ready = false;
          response.on('data', (chunk: string) => {
            buffer += chunk;
            let end;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const frame = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              if (!ready && frame.includes('event: unread_count')) {
                ready = true;
                resolve();
              } else if (frame.includes('event: notification.created')) {
                const data = JSON.parse(frame.slice(frame.indexOf('data: ') + 6));
                const start = sentAt.get(data.title);
                if (start !== undefined) {
                  const now = performance.now();
                  receivedAt.set(data.title, now);
                  latencies.push(now - start);
                  received++;
                }
              }
            }
          });
        });
        request.end();
      });
    const openStart = performance.now();
    for (let i = 0; i < users.length; i += 100) await Promise.all(users.slice(i, i + 100).map(open));
    const openSeconds = (performance.now() - openStart) / 1000;
    await sleep(2000);
    const rssStreams = rssKb(server.pid!);
    const liveStreams = await liveMemory();
    log(`opened ${STREAMS} streams in ${openSeconds.toFixed(1)} s; server RSS ${(rssBefore / 1024).toFixed(0)} MB -> ${(rssStreams / 1024).toFixed(0)} MB`);

    log(`creating ${RATE}/s personal notifications for ${SECONDS} s`);
    let issued = 0;
    let inFlight = 0;
    let skipped = 0;
    let createErrors = 0;
    const loadStart = performance.now();
    const serverCpuBefore = cpuSeconds(server.pid!);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const elapsed = (performance.now() - loadStart) / 1000;
        if (elapsed >= SECONDS) {
          clearInterval(timer);
          resolve();
          return;
        }
        const due = Math.floor(elapsed * RATE);
        while (issued < due) {
          if (inFlight >= MAX_IN_FLIGHT) {
            skipped += due - issued;
            issued = due;
            break;
          }
          const title = `b${issued++}`;
          const user = users[Math.floor(Math.random() * users.length)]!;
          inFlight++;
          sentAt.set(title, performance.now());
          const creating = VIA_PRISMA
            ? createNotification(db, { workspaceId, userId: user.id, type: 'bench', title })
            : writers.query(CREATE_NOTIFICATION_SQL, [workspaceId, user.id, title]);
          creating
            .then(() => committedAt.set(title, performance.now()))
            .catch((error) => {
              if (createErrors++ === 0) console.error(error);
            })
            .finally(() => inFlight--);
        }
      }, 2);
    });
    const created = issued - skipped - createErrors;
    const serverCpuShare = (cpuSeconds(server.pid!) - serverCpuBefore) / SECONDS;
    const waitUntil = Date.now() + 10_000;
    while ((inFlight > 0 || received < created) && Date.now() < waitUntil) await sleep(50);
    const rssAfter = rssKb(server.pid!);

    latencies.sort((a, b) => a - b);
    // From the writer's COMMIT acknowledgement: what the stream adds, without the disk's commit
    // time. An event can arrive before the writer hears back (NOTIFY fires at commit): 0.
    const afterCommit = [...receivedAt].map(([title, at]) => Math.max(0, at - (committedAt.get(title) ?? at))).sort((a, b) => a - b);
    const commitTimes = [...committedAt].map(([title, at]) => at - sentAt.get(title)!).sort((a, b) => a - b);
    const perStreamKb = (rssStreams - rssBefore) / STREAMS;
    const result = {
      streams: STREAMS,
      created_via: VIA_PRISMA ? 'createNotification (Prisma)' : 'equivalent SQL',
      failed_streams: failedStreams,
      target_rate: RATE,
      achieved_rate: Math.round(created / SECONDS),
      created,
      skipped_at_in_flight_limit: skipped,
      create_errors: createErrors,
      received,
      latency_ms: {
        p50: +percentile(latencies, 50).toFixed(1),
        p90: +percentile(latencies, 90).toFixed(1),
        p99: +percentile(latencies, 99).toFixed(1),
        max: +(latencies.at(-1) ?? NaN).toFixed(1),
      },
      commit_to_receive_ms: { p50: +percentile(afterCommit, 50).toFixed(1), p99: +percentile(afterCommit, 99).toFixed(1) },
      create_transaction_ms: { p50: +percentile(commitTimes, 50).toFixed(1), p99: +percentile(commitTimes, 99).toFixed(1) },
      server_cpu_cores_during_load: +serverCpuShare.toFixed(2),
      server_rss_mb: { idle: +(rssBefore / 1024).toFixed(1), with_streams: +(rssStreams / 1024).toFixed(1), after_load: +(rssAfter / 1024).toFixed(1) },
      server_kb_per_stream: {
        rss: +perStreamKb.toFixed(1),
        rss_after_gc: +((liveStreams.rss - liveBefore.rss) / 1024 / STREAMS).toFixed(1),
        heap_used_after_gc: +((liveStreams.heapUsed - liveBefore.heapUsed) / 1024 / STREAMS).toFixed(1),
      },
    };
    console.log(JSON.stringify(result, null, 2));
    for (const socket of sockets) socket.destroy();
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
