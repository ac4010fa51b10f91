/**
 * Holds N notification streams and measures create→receive latency, what is lost or repeated,
 * and the server's memory per stream.
 *
 *   npm run bench:stream -- --streams 1000 --rate 500 --seconds 10
 *   npm run bench:stream -- --streams 1000 --rate 500 --seconds 10 --peer nchan
 *   npm run bench:stream -- --streams 1000 --rate 500 --seconds 10 --instances 3
 *
 * Every part runs in a process of its own, so no event loop delays what another measures:
 * the server (`--instances N`: N servers on the one PostgreSQL, stream i on server i mod N),
 * the SSE clients (bench/sse-clients.ts, `--client-processes`, default one per 5,000 streams)
 * and the writers (bench/writer.ts, one per instance, the rate split between them), which
 * create personal notifications for random streaming users through the app's own
 * createNotification (`--via sql`: its one-statement SQL equivalent). With several instances
 * each writer notifies only users streaming from *other* instances: every delivery crosses
 * processes through PostgreSQL's NOTIFY. Times are taken on one clock shared by the processes.
 *
 * `--peer nchan` then runs the same number of EventSource subscribers on nginx-nchan
 * (bench/nchan.ts) with the same rate and message size, and prints both rows and the ratios.
 * 10,000 streams need 10,000 file descriptors in each process: `ulimit -n 20000` first.
 *
 * Then the clear-everywhere delay (`--clear-reads N`, default one per stream, at
 * `--clear-rate` reads/s; 0 skips it): every user gets one notification, then each user reads
 * theirs through the API of another instance than the one holding their stream (with one
 * instance, the same one), and the time from sending the PATCH to the `notification.updated`
 * arriving on the stream is what a toast on another device waits to close.
 */
import {
  type BenchServer,
  type Created,
  cpuSeconds,
  flag,
  loadAverage,
  log,
  now,
  percentile,
  type Received,
  rssKb,
  runWriter,
  sampleDatabaseWaits,
  seedUsers,
  sleep,
  startBenchDatabase,
  startServer,
  startStreamClients,
  type StreamTarget,
  type WriterDone,
} from './lib.ts';
import { createPrismaClient } from '../server/src/db/prisma.ts';
import { startNchan } from './nchan.ts';
import { createNotification } from '../server/src/services/notifications/create-notification.ts';
import type { BenchUser } from './lib.ts';

const STREAMS = flag('streams', 1000);
const RATE = flag('rate', 500);
const SECONDS = flag('seconds', 10);
const MAX_IN_FLIGHT = flag('in-flight', 64);
const INSTANCES = flag('instances', 1);
const CLIENT_PROCESSES = flag('client-processes', Math.ceil(STREAMS / 5000));
const option = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const VIA_SQL = option('via') === 'sql';
const CLEAR_READS = flag('clear-reads', STREAMS);
const CLEAR_RATE = flag('clear-rate', 200);
const PEER = option('peer');
if (PEER !== undefined && PEER !== 'nchan') throw new Error(`--peer ${PEER}: only nchan is known`);

interface Row {
  name: string;
  streams: number;
  failed_streams: number;
  target_rate: number;
  achieved_rate: number;
  created: number;
  skipped_at_in_flight_limit: number;
  create_errors: number;
  received: number;
  lost: number;
  repeated: number;
  latency_ms: { p50: number; p90: number; p99: number; max: number };
  commit_to_receive_ms: { p50: number; p99: number };
  create_ms: { p50: number; p99: number };
  writer_cpu_ms_per_call: number;
  server_cpu_cores_during_load: number;
  rss_mb: { idle: number; with_streams: number; after_load: number };
  kb_per_stream: { rss: number; rss_after_gc?: number; heap_used_after_gc?: number };
  cross_instance?: { instance: number; streams: number; received: number; p99_ms: number }[];
  /** Where a stall would show: what the database's backends waited on, the writers' pools, the event loops. */
  stall_diagnosis?: {
    activity_samples: number;
    samples_with_lock_object: number;
    backends_waiting: Record<string, number>;
    writer_pool_samples_with_waiters: string;
    writer_pool_max_waiting: number;
    writer_event_loop_delay_p99_ms: number;
    server_event_loop_delay_ms?: { p50: number; p99: number; max: number }[];
  };
}

const round = (n: number) => +n.toFixed(1);

/**
 * Opens the streams, runs the writers, waits for the deliveries and reduces them to a row.
 * `processes` are the pids whose RSS and CPU count as the server's.
 */
async function measure(options: {
  name: string;
  serverPids: number[];
  targets: StreamTarget[];
  /** Where each stream's events come from: the writers, each with the users it notifies. */
  writers: (onCreated: (created: Created[]) => void) => Promise<WriterDone>[];
  liveMemory?: () => Promise<{ rss: number; heapUsed: number }>;
  /** The database to sample pg_stat_activity of during the load. */
  databaseUrl?: string;
  /** Each server's event-loop delay since the previous call. */
  eventLoopDelays?: () => Promise<{ p50: number; p99: number; max: number }[]>;
  instanceOf?: (key: string) => number;
}): Promise<Row> {
  const rss = () => options.serverPids.reduce((sum, pid) => sum + rssKb(pid), 0);
  const cpu = () => options.serverPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  await sleep(1000);
  const rssBefore = rss();
  const liveBefore = await options.liveMemory?.();

  log(`${options.name}: opening ${options.targets.length} streams in ${CLIENT_PROCESSES} client process(es)`);
  const receivedAt = new Map<string, number>();
  let repeated = 0;
  let received = 0;
  const clients = await startStreamClients(options.targets, CLIENT_PROCESSES, (events: Received[]) => {
    for (const event of events) {
      received++;
      if (receivedAt.has(event.key)) repeated++;
      else receivedAt.set(event.key, event.at);
    }
  });
  try {
    await sleep(2000);
    const rssStreams = rss();
    const liveStreams = await options.liveMemory?.();
    log(
      `${options.name}: ${options.targets.length - clients.failed} streams open in ${clients.openSeconds.toFixed(1)} s ` +
        `(${clients.failed} failed); RSS ${(rssBefore / 1024).toFixed(0)} MB -> ${(rssStreams / 1024).toFixed(0)} MB; load average ${loadAverage()}`,
    );

    log(`${options.name}: ${RATE} notifications/s for ${SECONDS} s`);
    const created: Created[] = [];
    await options.eventLoopDelays?.();
    const waits = options.databaseUrl ? await sampleDatabaseWaits(options.databaseUrl) : undefined;
    const cpuBefore = cpu();
    const done = await Promise.all(options.writers((batch) => created.push(...batch)));
    const serverCpu = (cpu() - cpuBefore) / SECONDS;
    const databaseWaits = await waits?.stop();
    const serverLoopDelays = await options.eventLoopDelays?.();
    const waitUntil = Date.now() + 10_000;
    while (receivedAt.size < created.length && Date.now() < waitUntil) await sleep(50);
    await sleep(500); // anything repeated arrives too
    const rssAfter = rss();

    const latencies: number[] = [];
    const afterCommit: number[] = [];
    const perInstance = new Map<number, number[]>();
    for (const item of created) {
      const at = receivedAt.get(item.key);
      if (at === undefined) continue;
      latencies.push(at - item.sentAt);
      // An event can arrive before the writer hears its COMMIT back (NOTIFY fires at commit): 0.
      afterCommit.push(Math.max(0, at - item.committedAt));
      if (options.instanceOf) {
        const instance = options.instanceOf(item.key);
        perInstance.set(instance, [...(perInstance.get(instance) ?? []), at - item.sentAt]);
      }
    }
    const createTimes = created.map((item) => item.committedAt - item.sentAt);
    for (const list of [latencies, afterCommit, createTimes, ...perInstance.values()]) list.sort((a, b) => a - b);
    const sum = (key: 'issued' | 'skipped' | 'errors' | 'cpuMs') => done.reduce((total, d) => total + d[key], 0);
    const poolSamples = done.reduce((total, d) => total + d.poolWait.samples, 0);
    const poolWaiting = done.reduce((total, d) => total + d.poolWait.withWaiters, 0);
    const delivered = created.filter((item) => receivedAt.has(item.key)).length;
    return {
      name: options.name,
      streams: options.targets.length,
      failed_streams: clients.failed,
      target_rate: RATE,
      achieved_rate: Math.round(created.length / SECONDS),
      created: created.length,
      skipped_at_in_flight_limit: sum('skipped'),
      create_errors: sum('errors'),
      received,
      lost: created.length - delivered,
      repeated,
      latency_ms: {
        p50: round(percentile(latencies, 50)),
        p90: round(percentile(latencies, 90)),
        p99: round(percentile(latencies, 99)),
        max: round(latencies.at(-1) ?? NaN),
      },
      commit_to_receive_ms: { p50: round(percentile(afterCommit, 50)), p99: round(percentile(afterCommit, 99)) },
      create_ms: { p50: round(percentile(createTimes, 50)), p99: round(percentile(createTimes, 99)) },
      writer_cpu_ms_per_call: +(sum('cpuMs') / Math.max(1, created.length)).toFixed(3),
      server_cpu_cores_during_load: +serverCpu.toFixed(2),
      rss_mb: { idle: round(rssBefore / 1024), with_streams: round(rssStreams / 1024), after_load: round(rssAfter / 1024) },
      kb_per_stream: {
        rss: round((rssStreams - rssBefore) / options.targets.length),
        ...(liveBefore && liveStreams
          ? {
              rss_after_gc: round((liveStreams.rss - liveBefore.rss) / 1024 / options.targets.length),
              heap_used_after_gc: round((liveStreams.heapUsed - liveBefore.heapUsed) / 1024 / options.targets.length),
            }
          : {}),
      },
      ...(options.instanceOf
        ? {
            cross_instance: [...perInstance].sort(([a], [b]) => a - b).map(([instance, list]) => ({
              instance,
              streams: options.targets.filter((_, i) => i % INSTANCES === instance).length,
              received: list.length,
              p99_ms: round(percentile(list, 99)),
            })),
          }
        : {}),
      ...(databaseWaits
        ? {
            stall_diagnosis: {
              activity_samples: databaseWaits.samples,
              samples_with_lock_object: databaseWaits.samplesWithLockObject,
              backends_waiting: databaseWaits.backendsWaiting,
              writer_pool_samples_with_waiters: `${poolWaiting} of ${poolSamples}`,
              writer_pool_max_waiting: Math.max(...done.map((d) => d.poolWait.maxWaiting)),
              writer_event_loop_delay_p99_ms: Math.max(...done.map((d) => d.eventLoopDelayP99Ms)),
              ...(serverLoopDelays ? { server_event_loop_delay_ms: serverLoopDelays } : {}),
            },
          }
        : {}),
    };
  } finally {
    clients.stop();
  }
}

interface ClearRow {
  name: string;
  streams: number;
  instances: number;
  reads: number;
  read_errors: number;
  lost: number;
  read_to_receive_ms: { p50: number; p90: number; p99: number; max: number };
  patch_ms: { p50: number; p99: number };
}

/**
 * Read on one device → the state change on the user's stream (another device): what closing
 * the other devices' toasts waits for. Each user's stream and their read go to different
 * instances when there are several, so each change crosses processes through PostgreSQL.
 */
async function measureClearEverywhere(servers: BenchServer[], databaseUrl: string, workspaceId: string, users: BenchUser[]): Promise<ClearRow> {
  const name = `clear everywhere${servers.length > 1 ? ` x${servers.length}` : ''}`;
  const receivedAt = new Map<string, number>();
  const targets = users.map((user, i) => ({ port: servers[i % servers.length]!.port, path: '/api/notifications/stream', token: user.token }));
  log(`${name}: opening ${targets.length} streams`);
  const clients = await startStreamClients(targets, CLIENT_PROCESSES, (events) => {
    for (const event of events) if (event.key.startsWith('read:') && !receivedAt.has(event.key)) receivedAt.set(event.key, event.at);
  });
  const db = createPrismaClient(databaseUrl, 8);
  try {
    const readers = users.slice(0, Math.min(CLEAR_READS, users.length));
    log(`${name}: one notification for each of ${readers.length} users`);
    const ids: string[] = new Array(readers.length);
    for (let i = 0; i < readers.length; i += 16) {
      await Promise.all(
        readers.slice(i, i + 16).map(async (user, k) => {
          const { notification } = await createNotification(db, { workspaceId, userId: user.id, type: 'task_assigned', title: `clear-${i + k}` });
          ids[i + k] = notification.id;
        }),
      );
    }
    await sleep(2000);
    log(`${name}: ${readers.length} reads at ${CLEAR_RATE}/s, each through another instance than its stream's; load average ${loadAverage()}`);
    const sent = new Map<string, number>();
    const patchTimes: number[] = [];
    let errors = 0;
    const inFlight = new Set<Promise<void>>();
    const started = now();
    for (let i = 0; i < readers.length; i++) {
      const due = started + (i * 1000) / CLEAR_RATE;
      if (due > now()) await sleep(due - now());
      while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
      const server = servers[(i + 1) % servers.length]!;
      const at = now();
      const key = `read:${ids[i]}`;
      const call = fetch(`${server.url}/api/notifications/${ids[i]}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${readers[i]!.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ read: true }),
      })
        .then(async (response) => {
          await response.arrayBuffer();
          // Only a read that happened can be waited for on the stream.
          if (response.status !== 200) errors++;
          else sent.set(key, at);
          patchTimes.push(now() - at);
        })
        .catch(() => void errors++)
        .finally(() => inFlight.delete(call));
      inFlight.add(call);
    }
    await Promise.all(inFlight);
    const waitUntil = Date.now() + 10_000;
    while (receivedAt.size < sent.size && Date.now() < waitUntil) await sleep(50);
    const latencies = [...sent].flatMap(([key, at]) => (receivedAt.has(key) ? [receivedAt.get(key)! - at] : [])).sort((a, b) => a - b);
    patchTimes.sort((a, b) => a - b);
    return {
      name,
      streams: targets.length - clients.failed,
      instances: servers.length,
      reads: readers.length,
      read_errors: errors,
      lost: sent.size - latencies.length,
      read_to_receive_ms: {
        p50: round(percentile(latencies, 50)),
        p90: round(percentile(latencies, 90)),
        p99: round(percentile(latencies, 99)),
        max: round(latencies.at(-1) ?? NaN),
      },
      patch_ms: { p50: round(percentile(patchTimes, 50)), p99: round(percentile(patchTimes, 99)) },
    };
  } finally {
    clients.stop();
    await db.$disconnect();
  }
}

async function main() {
  log(`load average ${loadAverage()} (2 cores shared with other work); setting up a database with ${STREAMS} users`);
  const database = await startBenchDatabase();
  const db = createPrismaClient(database.url, 4);
  const { workspaceId, users } = await seedUsers(db, STREAMS);
  await db.$disconnect();
  const rows: Row[] = [];
  const servers: BenchServer[] = [];
  let clearRow: ClearRow | undefined;
  try {
    log(`starting ${INSTANCES} server process(es)`);
    for (let i = 0; i < INSTANCES; i++) servers.push(await startServer(database.url));
    // Warm the servers' code paths before the baseline, so that the delta is the streams'.
    for (const server of servers) {
      for (const user of users.slice(0, 5)) await fetch(`${server.url}/api/notifications/unread-count`, { headers: { authorization: `Bearer ${user.token}` } });
    }
    const instanceOfUser = (i: number) => i % INSTANCES;
    const targets = users.map((user, i) => ({ port: servers[instanceOfUser(i)]!.port, path: '/api/notifications/stream', token: user.token }));
    const prefixOf = (writer: number) => `w${writer}-`;
    rows.push(
      await measure({
        name: INSTANCES > 1 ? `tray-notify x${INSTANCES}` : 'tray-notify',
        serverPids: servers.map((server) => server.pid),
        targets,
        databaseUrl: database.url,
        eventLoopDelays: () => Promise.all(servers.map(async (server) => (await server.liveMemory()).eventLoopDelayMs!)),
        liveMemory:
          INSTANCES === 1
            ? async () => {
                const memory = await servers[0]!.liveMemory();
                return { rss: memory.rss, heapUsed: memory.heapUsed };
              }
            : undefined,
        // With several instances, writer k notifies the users streaming from the instance after k.
        instanceOf: INSTANCES > 1 ? (key) => (Number(/^w(\d+)-/.exec(key)![1]) + 1) % INSTANCES : undefined,
        writers: (onCreated) =>
          Array.from({ length: INSTANCES }, (_, k) =>
            runWriter(
              {
                way: VIA_SQL ? 'sql' : 'app',
                databaseUrl: database.url,
                workspaceId,
                userIds: users.filter((_, i) => INSTANCES === 1 || instanceOfUser(i) === (k + 1) % INSTANCES).map((user) => user.id),
                channelBase: 0,
                prefix: prefixOf(k),
                rate: RATE / INSTANCES,
                seconds: SECONDS,
                maxInFlight: Math.ceil(MAX_IN_FLIGHT / INSTANCES),
              },
              onCreated,
            ),
          ),
      }),
    );
    if (CLEAR_READS > 0) clearRow = await measureClearEverywhere(servers, database.url, workspaceId, users);
  } finally {
    for (const server of servers) server.stop();
    await database.stop();
  }

  if (PEER === 'nchan') {
    log('starting nginx-nchan');
    const nchan = await startNchan(STREAMS);
    try {
      rows.push(
        await measure({
          name: 'nginx-nchan',
          serverPids: [nchan.workerPid],
          targets: users.map((_, i) => ({ port: nchan.port, path: `/sub/${i}` })),
          writers: (onCreated) => [
            runWriter(
              {
                way: 'nchan',
                databaseUrl: '',
                nchanPort: nchan.port,
                workspaceId,
                userIds: users.map((user) => user.id),
                channelBase: 0,
                prefix: 'n-',
                rate: RATE,
                seconds: SECONDS,
                maxInFlight: MAX_IN_FLIGHT,
              },
              onCreated,
            ),
          ],
        }),
      );
    } finally {
      nchan.stop();
    }
  }

  for (const row of rows) console.log(JSON.stringify(row, null, 2));
  console.log(`\nload average at the end: ${loadAverage()} (2 cores, shared)`);
  console.log('\n| run | rate achieved | lost / repeated | create→receive p50 / p90 / p99 | commit→receive p50 / p99 | server CPU | RSS per stream |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    console.log(
      `| ${row.name}, ${row.streams} streams @ ${row.target_rate}/s | ${row.achieved_rate}/s (${row.created} created, ${row.skipped_at_in_flight_limit} skipped) | ${row.lost} / ${row.repeated} | ` +
        `${row.latency_ms.p50} / ${row.latency_ms.p90} / ${row.latency_ms.p99} ms | ${row.commit_to_receive_ms.p50} / ${row.commit_to_receive_ms.p99} ms | ` +
        `${row.server_cpu_cores_during_load} core | ${row.kb_per_stream.rss} KB${row.kb_per_stream.rss_after_gc !== undefined ? ` (${row.kb_per_stream.rss_after_gc} after GC)` : ''} |`,
    );
  }
  for (const row of rows) {
    const diagnosis = row.stall_diagnosis;
    if (!diagnosis) continue;
    const topWaits = Object.entries(diagnosis.backends_waiting).slice(0, 5).map(([wait, n]) => `${wait} ${n}`).join(', ') || 'none';
    console.log(
      `\nstall diagnosis, ${row.name}: ${diagnosis.samples_with_lock_object} of ${diagnosis.activity_samples} pg_stat_activity samples (every 100 ms) ` +
        `caught a backend waiting on Lock:object; active backends seen: ${topWaits}; writer pool: ${diagnosis.writer_pool_samples_with_waiters} ` +
        `samples (every 10 ms) with a caller waiting for a connection, at most ${diagnosis.writer_pool_max_waiting}; event-loop delay p99: ` +
        `writer ${diagnosis.writer_event_loop_delay_p99_ms} ms, server ${(diagnosis.server_event_loop_delay_ms ?? []).map((d) => `${d.p99} ms (max ${d.max})`).join(', ')}`,
    );
  }
  if (clearRow) {
    console.log(JSON.stringify(clearRow, null, 2));
    console.log('\n| run | reads | lost | read→received on the other device p50 / p90 / p99 / max | PATCH p50 / p99 |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    const c = clearRow.read_to_receive_ms;
    console.log(
      `| ${clearRow.name}, ${clearRow.streams} streams @ ${CLEAR_RATE} reads/s | ${clearRow.reads} (${clearRow.read_errors} errors) | ${clearRow.lost} | ` +
        `${c.p50} / ${c.p90} / ${c.p99} / ${c.max} ms | ${clearRow.patch_ms.p50} / ${clearRow.patch_ms.p99} ms |`,
    );
    if (clearRow.lost > 0 || clearRow.read_errors > 0) {
      console.error(`FAILED: ${clearRow.name} lost ${clearRow.lost} state changes, ${clearRow.read_errors} reads failed`);
      process.exitCode = 1;
    }
  }
  if (rows.length === 2) {
    const [app, peer] = rows as [Row, Row];
    console.log(
      `\nratios tray-notify / nchan: create→receive p50 ${(app.latency_ms.p50 / peer.latency_ms.p50).toFixed(2)}, p99 ${(app.latency_ms.p99 / peer.latency_ms.p99).toFixed(2)}; ` +
        `commit→receive vs publish→receive p50 ${(app.commit_to_receive_ms.p50 / Math.max(0.1, peer.commit_to_receive_ms.p50)).toFixed(2)}, p99 ${(app.commit_to_receive_ms.p99 / Math.max(0.1, peer.commit_to_receive_ms.p99)).toFixed(2)}; ` +
        `RSS per stream ${(app.kb_per_stream.rss / peer.kb_per_stream.rss).toFixed(2)}`,
    );
  }
  return rows;
}

main().then(
  (rows) => {
    // Exactly once is the contract: a run that lost or repeated anything fails.
    const broken = rows.filter((row) => row.lost > 0 || row.repeated > 0);
    for (const row of broken) console.error(`FAILED: ${row.name} lost ${row.lost} and repeated ${row.repeated} notifications`);
    process.exit(broken.length > 0 ? 1 : (process.exitCode ?? 0));
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
