/**
 * npm run bench:siem — lag of streaming the activity log to a SIEM: from an entry being
 * recorded (its `created_at`, the inserting transaction's clock) to a local receiver getting
 * it, at a steady rate of entries.
 *
 * Starts server/src/server.ts in a child process with its production settings (poll every
 * 250 ms, batches of up to 500), a plain HTTP receiver on loopback (ndjson, signature checked
 * on every request), creates one workspace stream through the API, then inserts --rate entries
 * per second (default 1,000) for --seconds (default 20) in small transactions every 10 ms, and
 * waits for the last one. Prints p50/p90/p99/max lag, entries lost and repeated, requests and
 * their size, and the load average.
 *
 * Flags: --rate N, --seconds N, --poll-ms N (the server's AUDIT_STREAM_POLL_MS; default 250).
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { pgConfigFromUrl } from '../server/src/db/connection.ts';
import { createPrismaClient } from '../server/src/db/prisma.ts';
import { flag, loadAverage, log, percentile, seedUsers, sleep, startBenchDatabase, startServer } from './lib.ts';

const RATE = flag('rate', 1000);
const SECONDS = flag('seconds', 20);
const POLL_MS = flag('poll-ms', 250);
const SECRET = 'bench-siem-secret-0123456789';
const TICK_MS = 10;

const database = await startBenchDatabase();
const db = createPrismaClient(database.url, 4);
const { workspaceId, users } = await seedUsers(db, 1);
const admin = users[0]!;
await db.membership.updateMany({ where: { userId: admin.id }, data: { role: 'admin' } });

// The receiver: arrival time per entry, and whether each request's signature held.
const arrivals = new Map<string, number>();
const lags: number[] = [];
let repeated = 0;
let requests = 0;
let badSignatures = 0;
const receiver = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const at = Date.now();
    const body = Buffer.concat(chunks).toString();
    requests++;
    const [t, v1] = String(request.headers['x-signature']).split(',').map((part) => part.split('=')[1]);
    if (createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex') !== v1) badSignatures++;
    for (const line of body.split('\n')) {
      if (!line) continue;
      const entry = JSON.parse(line) as { id: string; type: string; created_at: string };
      if (entry.type !== 'bench.entry') continue;
      if (arrivals.has(entry.id)) repeated++;
      else {
        arrivals.set(entry.id, at);
        lags.push(at - Date.parse(entry.created_at));
      }
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/intake`;

const server = await startServer(database.url, { AUDIT_STREAM_POLL_MS: String(POLL_MS) });
const writer = new pg.Pool({ ...pgConfigFromUrl(database.url), max: 4 });
try {
  const created = await fetch(`${server.url}/api/audit-streams`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench', url: receiverUrl, format: 'ndjson', secret: SECRET }),
  });
  if (created.status !== 201) throw new Error(`creating the stream: ${created.status} ${await created.text()}`);
  log(`stream created; writing ${RATE}/s for ${SECONDS} s (load ${loadAverage()})`);

  // Every 10 ms, the entries due by then, in one short transaction each (as many writers would).
  const total = RATE * SECONDS;
  let written = 0;
  const start = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  while (written < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * RATE));
    if (due > written) {
      const from = written;
      const count = due - written;
      written = due;
      const insert = writer
        .query(
          `INSERT INTO activities (workspace_id, type, summary) SELECT $1::uuid, 'bench.entry', 'entry ' || g FROM generate_series($2::int, $3::int) g`,
          [workspaceId, from, from + count - 1],
        )
        .finally(() => inFlight.delete(insert));
      inFlight.add(insert);
    }
    await sleep(TICK_MS);
  }
  await Promise.all(inFlight);
  const writeSeconds = (performance.now() - start) / 1000;
  log(`wrote ${total} entries in ${writeSeconds.toFixed(1)} s (${(total / writeSeconds).toFixed(0)}/s); waiting for the last (load ${loadAverage()})`);
  const deadline = Date.now() + 60_000;
  while (arrivals.size < total && Date.now() < deadline) await sleep(50);

  lags.sort((a, b) => a - b);
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  console.log(
    [
      `bench:siem ${RATE}/s for ${SECONDS} s, poll ${POLL_MS} ms (load ${loadAverage()})`,
      `entries: ${total} written, ${arrivals.size} received, ${total - arrivals.size} lost, ${repeated} repeated`,
      `lag record→receiver: p50 ${ms(percentile(lags, 50))}, p90 ${ms(percentile(lags, 90))}, p99 ${ms(percentile(lags, 99))}, max ${ms(lags.at(-1) ?? 0)}`,
      `requests: ${requests} (${(arrivals.size / Math.max(1, requests)).toFixed(0)} entries each on average), bad signatures: ${badSignatures}`,
    ].join('\n'),
  );
  if (arrivals.size < total) process.exitCode = 1;
} finally {
  server.stop();
  await writer.end();
  await db.$disconnect();
  receiver.closeAllConnections();
  receiver.close();
  await database.stop();
}
