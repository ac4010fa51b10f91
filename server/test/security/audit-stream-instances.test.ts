import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { apiClient, createWorld, eventually, startServerProcess, startTestServer, type ServerProcess, type TestServer, type World } from '../helper.ts';
import { deduplicated, receiver, selfSignedCertificate, type Receiver } from '../routes/api/audit-streams/audit-stream-receiver.ts';

// Two real server processes send one workspace's log to an HTTPS receiver (a self-signed
// certificate trusted through AUDIT_STREAM_TRUSTED_CA_FILE). The instance sending is
// SIGKILLed while its request is in flight: the other takes the stream over when the lease
// expires and sends that batch again, so every entry arrives at least once and, kept once
// per id, in commit order. Never do two requests of the stream overlap. Nothing secret is
// in the processes' logs.

const SECRET = 'whsec-instances-0123456789abcdef';
const TOKEN = 'hec-token-instances-42';

let fixture: TestServer;
let world: World;
let siem: Receiver;
let caFile: string;
const processes: ServerProcess[] = [];
const output = new Map<ServerProcess, string>();

beforeAll(async () => {
  // In this process only for fixtures and reading the database: it never polls for streams.
  fixture = await startTestServer({ auditStreams: { ...loadConfig({}).auditStreams, pollMs: 60_000 } });
  world = await createWorld(fixture.db);
  const certificate = selfSignedCertificate();
  caFile = certificate.caFile;
  siem = await receiver(SECRET, { tls: certificate });
});
afterAll(async () => {
  for (const started of processes) {
    if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGKILL');
    await started.exited;
  }
  await siem.close();
  await fixture.close();
});

async function startInstance() {
  const started = await startServerProcess(fixture.databaseUrl, 0, {
    AUDIT_STREAM_POLL_MS: '50',
    AUDIT_STREAM_BATCH_SIZE: '25',
    AUDIT_STREAM_TIMEOUT_MS: '1000',
    AUDIT_STREAM_LEASE_MS: '2000',
    AUDIT_STREAM_BACKOFF_MAX_SECONDS: '1',
    AUDIT_STREAM_TRUSTED_CA_FILE: caFile,
    AUDIT_STREAM_SECRET_KEY: 'ab'.repeat(32),
  });
  processes.push(started);
  output.set(started, '');
  started.child.stdout!.on('data', (chunk) => output.set(started, output.get(started) + String(chunk)));
  started.child.stderr!.on('data', (chunk) => output.set(started, output.get(started) + String(chunk)));
  return started;
}

async function record(count: number, tag: string) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const [row] = await fixture.db.$queryRaw<{ id: string }[]>`
      INSERT INTO activities (workspace_id, type, summary) VALUES (${world.acme.id}::uuid, 'lead.updated', ${`${tag}-${i}`}) RETURNING id`;
    ids.push(row!.id);
  }
  return ids;
}

describe('SIEM streaming across instances', () => {
  it('one sender at a time; a sender killed mid-batch loses nothing; order and signatures hold over HTTPS', { timeout: 120_000 }, async () => {
    const [a, b] = await Promise.all([startInstance(), startInstance()]);
    const api = apiClient(a.url);
    const admin = await api.login(world.users.acmeAdmin.email);
    // Requests 1-3 are answered slowly, the 4th is held until its sender dies.
    siem.answerNext({ slowMs: 100 }, { slowMs: 100 }, { slowMs: 100 }, { slowMs: 30_000 });
    siem.otherwise({ slowMs: 20 });
    const created = await api.post('/api/audit-streams', { name: 'SIEM', url: siem.url, format: 'splunk_hec', secret: SECRET, token: TOKEN }, admin);
    expect(created.status).toBe(201);
    const streamId = created.body.id as string;
    // Service-wide entries and another workspace's are recorded in between and must not arrive.
    const expected = await record(200, 'first');
    await fixture.db.$executeRaw`INSERT INTO activities (workspace_id, type, summary) VALUES (${world.globex.id}::uuid, 'lead.updated', 'foreign'), (NULL, 'lead.updated', 'service')`;

    await eventually(() => (siem.requests.length >= 4 ? true : undefined), 'the 4th request in flight', 20_000);
    const { leaseOwner } = await fixture.db.auditStream.findUniqueOrThrow({ where: { id: streamId }, select: { leaseOwner: true } });
    const pid = Number(leaseOwner!.split('/')[1]);
    const [victim, survivor] = a.child.pid === pid ? [a, b] : [b, a];
    expect(victim.child.pid).toBe(pid);
    victim.child.kill('SIGKILL');
    await victim.exited;
    const heldIds = siem.requests[3]!.ids;

    // A third instance joins: two compete again for what follows.
    const c = await startInstance();
    expected.push(...(await record(100, 'second')));
    await eventually(() => (expected.every((id) => siem.accepted().includes(id)) ? true : undefined), 'every entry accepted', 60_000);

    // The held batch was sent again by another instance.
    const afterKill = siem.requests.slice(4);
    expect(heldIds.every((id) => afterKill.some((request) => request.ids.includes(id)))).toBe(true);
    expect(siem.maxInFlight).toBe(1);
    expect(siem.requests.every((request) => request.signatureValid)).toBe(true);
    expect(siem.requests.every((request) => request.headers.authorization === `Splunk ${TOKEN}`)).toBe(true);
    const foreign = await fixture.db.activity.findMany({ where: { summary: { in: ['foreign', 'service'] } }, select: { id: true } });
    expect(siem.received().filter((id) => foreign.some((entry) => entry.id === id))).toEqual([]);
    expect(deduplicated(siem.received()).filter((id) => expected.includes(id))).toEqual(expected);

    // Nothing secret reached the logs of any instance (JSON lines at info level).
    for (const started of [survivor, c, victim]) {
      const log = output.get(started)!;
      expect(log).not.toContain(SECRET);
      expect(log).not.toContain(TOKEN);
    }
    const deliveries = await apiClient(survivor.url).get(`/api/audit-streams/${streamId}/deliveries`, admin);
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.items.some((item: { status: string }) => item.status === 'delivered')).toBe(true);
  });
});
