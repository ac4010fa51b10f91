import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/services/api-keys/create-api-key.ts';
import { freePort } from '../global-setup.ts';
import { createWorld, startServerProcess, startTestServer, type ServerProcess, type TestServer, type World } from '../helper.ts';

// The server process is SIGKILLed while integrations are posting event batches: whatever it
// acknowledged must survive, and retrying every batch with its Idempotency-Key (the answer to
// a lost response) must record each event exactly once. A proxy in front of the server
// swallows its answers for a moment before the kill, so some batches are stored although
// their caller saw the call fail: the case an Idempotency-Key exists for.

const BATCHES = 40;
const EVENTS_PER_BATCH = 25;
const SENDERS = 6;
/** Acknowledged batches before the kill: the rest are in flight or not sent yet. */
const KILL_AFTER = 8;
/** How long the server's answers are swallowed before the kill. */
const SWALLOW_MS = 1_000;

let fixture: TestServer;
let world: World;
let apiKey: string;
const processes: ServerProcess[] = [];

beforeAll(async () => {
  // In this process only for fixtures and reading the database; the burst goes to child processes.
  fixture = await startTestServer();
  world = await createWorld(fixture.db);
  const actor = { workspaceId: world.acme.id, userId: world.users.acmeAdmin.id, name: 'admin', role: 'admin' as const };
  apiKey = (await createApiKey(fixture.db, { actor, name: 'burst' })).key;
});
afterEach(async () => {
  for (const started of processes.splice(0)) {
    if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGKILL');
    await started.exited;
  }
});
afterAll(() => fixture.close());

async function startProcess(port: number) {
  const started = await startServerProcess(fixture.databaseUrl, port);
  processes.push(started);
  return started;
}

/** A TCP proxy to `port` that can stop passing the server's bytes back (a lost response). */
async function lossyProxy(port: number) {
  let swallowing = false;
  const proxy = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    client.pipe(upstream);
    upstream.on('data', (chunk) => {
      if (!swallowing) client.write(chunk);
    });
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('error', () => {});
    client.on('error', () => {});
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`,
    swallow: () => (swallowing = true),
    close: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
  };
}

/** Each batch: one failed job (a grouped notification) and ordinary events, all named uniquely. */
const batches = Array.from({ length: BATCHES }, (_, b) => ({
  key: `burst-${b}`,
  body: {
    events: Array.from({ length: EVENTS_PER_BATCH }, (_, e) =>
      e === 0
        ? { type: 'job.failed', summary: `b${b}e${e}`, entity_type: 'job', entity_id: `job-${b}`, meta: { kind: `burst_${b}`, error: 'boom' } }
        : { type: 'lead.updated', summary: `b${b}e${e}`, meta: { batch: b, event: e } },
    ),
  },
}));

type Outcome = { status: number; body: unknown; replayed: boolean } | { error: string };

async function send(url: string, batch: (typeof batches)[number]): Promise<Outcome> {
  try {
    const response = await fetch(`${url}/api/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'idempotency-key': batch.key },
      body: JSON.stringify(batch.body),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: response.status, body: await response.json(), replayed: response.headers.get('idempotent-replayed') === 'true' };
  } catch (error) {
    return { error: String((error as Error).cause ?? error) };
  }
}

/** Sends every batch with SENDERS at a time; `afterEach` runs after each answer. */
async function sendAll(url: string, afterEach: (outcomes: Outcome[]) => void = () => {}) {
  const outcomes: Outcome[] = new Array(BATCHES);
  let next = 0;
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (next < BATCHES) {
        const index = next++;
        outcomes[index] = await send(url, batches[index]!);
        afterEach(outcomes);
      }
    }),
  );
  return outcomes;
}

/** How many times each event summary is stored, for this workspace's integration events. */
async function storedCounts() {
  const rows = await fixture.db.$queryRaw<{ summary: string; n: number }[]>`
    SELECT summary, count(*)::int AS n FROM activities
     WHERE workspace_id = ${world.acme.id}::uuid AND meta->>'source' = 'integration' GROUP BY summary`;
  return new Map(rows.map((row) => [row.summary, row.n]));
}

describe('SIGKILL during an ingest burst', () => {
  it('keeps every acknowledged event, and retries with the same Idempotency-Key record each event exactly once', async () => {
    const port = await freePort();
    const first = await startProcess(port);
    const proxy = await lossyProxy(port);
    let killed = false;
    const outcomes = await sendAll(proxy.url, (sofar) => {
      if (!killed && sofar.filter((outcome) => outcome && 'status' in outcome && outcome.status === 201).length >= KILL_AFTER) {
        killed = true;
        proxy.swallow();
        setTimeout(() => first.child.kill('SIGKILL'), SWALLOW_MS);
      }
    });
    if (!killed) first.child.kill('SIGKILL');
    await first.exited;
    await proxy.close();
    expect(killed, JSON.stringify(outcomes)).toBe(true);

    const acknowledged = outcomes.flatMap((outcome, index) => ('status' in outcome && outcome.status === 201 ? [index] : []));
    const lost = outcomes.flatMap((outcome, index) => ('error' in outcome ? [index] : []));
    // Before the kill every answer was a 201; after it, calls fail without an answer.
    expect(outcomes.filter((outcome) => 'status' in outcome && outcome.status !== 201)).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(lost.length).toBeGreaterThan(0);

    // The same database, a new process: every acknowledged event is there, once.
    const second = await startProcess(port);
    const afterRestart = await storedCounts();
    for (const index of acknowledged) {
      for (let e = 0; e < EVENTS_PER_BATCH; e++) expect(afterRestart.get(`b${index}e${e}`), `b${index}e${e}`).toBe(1);
    }
    // A batch is all or nothing, acknowledged or not.
    for (let b = 0; b < BATCHES; b++) {
      const stored = Array.from({ length: EVENTS_PER_BATCH }, (_, e) => afterRestart.get(`b${b}e${e}`) ?? 0);
      expect(new Set(stored).size, `batch ${b}: ${stored}`).toBe(1);
    }

    // Stored although the caller saw the call fail (its answer was swallowed), and never stored.
    const storedUnanswered = lost.filter((index) => afterRestart.has(`b${index}e0`));
    expect(storedUnanswered.length).toBeGreaterThan(0);
    expect(storedUnanswered.length).toBeLessThan(lost.length);

    // The integration retries everything with the same keys.
    const retried = await sendAll(second.url);
    for (const [index, outcome] of retried.entries()) {
      expect(outcome, `retry of batch ${index}`).toMatchObject({ status: 201 });
      if (acknowledged.includes(index)) {
        // The first answer, replayed, not a second recording.
        expect(outcome).toEqual({ ...(outcomes[index] as object), replayed: true });
      }
      // Stored before the kill: replayed; never stored: recorded now.
      expect((outcome as { replayed: boolean }).replayed, `retry of batch ${index}`).toBe(afterRestart.has(`b${index}e0`));
    }
    const final = await storedCounts();
    const expected = batches.flatMap((batch, b) => batch.body.events.map((_, e) => `b${b}e${e}`));
    expect([...final.keys()].sort()).toEqual([...expected].sort());
    expect([...final.values()].every((n) => n === 1)).toBe(true);

    // Each failed job notified the workspace's admins once (a duplicate would have collapsed into it: count 2).
    const notified = await fixture.db.$queryRaw<{ kind: string; rows: number; count: number }[]>`
      SELECT meta->>'kind' AS kind, count(*)::int AS rows, sum((meta->>'count')::int)::int AS count
        FROM notifications WHERE workspace_id = ${world.acme.id}::uuid AND type = 'job_failed' GROUP BY 1`;
    expect(notified.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual(
      batches.map((_, b) => ({ kind: `burst_${b}`, rows: 1, count: 1 })).sort((a, b) => a.kind.localeCompare(b.kind)),
    );
  }, 180_000); // two server processes start from cold: 20 s and more on a busy 2-core machine
});
