import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type AuditStreamSettings } from '../../../../src/config.ts';
import { pgConfigFromUrl } from '../../../../src/db/connection.ts';
import { apiClient, createWorld, eventually, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';
import { deduplicated, receiver, type Receiver } from './audit-stream-receiver.ts';

// SIEM streams against a real local receiver: who may manage them, what is refused, and what
// arrives: every entry of the stream's workspace at least once, in order, signed, whatever
// the receiver does (500s, no answer, dropped connections), and none of another workspace.

const SECRET = 'whsec-test-0123456789abcdef';
const fast: AuditStreamSettings = {
  ...loadConfig({}).auditStreams,
  pollMs: 20,
  batchSize: 20,
  timeoutMs: 400,
  leaseMs: 2_000,
  backoffMaxMs: 100,
  pauseAfterMs: 60 * 60_000,
};

let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};
const receivers: Receiver[] = [];

beforeAll(async () => {
  server = await startTestServer({ auditStreams: fast });
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [name, user] of Object.entries(world.users)) tokens[name] = await api.login(user.email);
});
afterAll(async () => {
  await server.close();
  for (const open of receivers) await open.close();
});

async function newReceiver() {
  const opened = await receiver(SECRET);
  receivers.push(opened);
  return opened;
}

const body = (url: string, extra: Record<string, unknown> = {}) => ({ name: 'SIEM', url, format: 'ndjson', secret: SECRET, ...extra });

/** Activity entries committed one transaction each, in this order; returns their ids. */
async function record(workspaceId: string | null, count: number, tag: string, severity = 'info') {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const [row] = await server.db.$queryRaw<{ id: string }[]>`
      INSERT INTO activities (workspace_id, type, summary, severity) VALUES (${workspaceId}::uuid, 'lead.updated', ${`${tag}-${i}`}, ${severity}::"Severity") RETURNING id`;
    ids.push(row!.id);
  }
  return ids;
}

const auditTypes = async (streamId: string) =>
  (await server.db.activity.findMany({ where: { entityType: 'audit_stream', entityId: streamId }, orderBy: { recordedAt: 'asc' } })).map((row) => row.type);

describe('managing SIEM streams', () => {
  it('workspace admins create, list, change, pause and delete their streams; the secret never comes back; every change is audited', async () => {
    const created = await api.post('/api/audit-streams', body('https://siem.example.com/intake', { token: 'hec-token-1', types: ['lead.updated'], min_severity: 'warning' }), tokens.acmeAdmin);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ workspace_id: world.acme.id, name: 'SIEM', format: 'ndjson', types: ['lead.updated'], min_severity: 'warning', has_token: true, status: 'active' });
    const id = created.body.id as string;

    const listed = await api.get('/api/audit-streams', tokens.acmeAdmin2);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([id]);
    const changed = await api.patch(`/api/audit-streams/${id}`, { name: 'Splunk', secret: 'another-secret-0123456789' }, tokens.acmeAdmin);
    expect(changed.status).toBe(200);
    expect(changed.body.name).toBe('Splunk');
    const paused = await api.patch(`/api/audit-streams/${id}`, { paused: true }, tokens.acmeAdmin);
    expect(paused.body).toMatchObject({ status: 'paused', paused_reason: expect.stringContaining('acme-admin') });
    const resumed = await api.patch(`/api/audit-streams/${id}`, { paused: false }, tokens.acmeAdmin);
    expect(resumed.body.status).toBe('active');

    for (const response of [created, listed, changed, paused, resumed]) {
      expect(JSON.stringify(response.body)).not.toContain(SECRET);
      expect(JSON.stringify(response.body)).not.toContain('another-secret');
      expect(JSON.stringify(response.body)).not.toContain('hec-token-1');
    }
    // The activity log (what the stream itself carries) records that the secret changed, not its value.
    const entries = await server.db.activity.findMany({ where: { entityType: 'audit_stream', entityId: id } });
    expect(JSON.stringify(entries, (_key, value) => (typeof value === 'bigint' ? String(value) : value))).not.toContain('another-secret');
    expect(entries.find((entry) => entry.type === 'audit_stream.updated')?.meta).toMatchObject({ changed: ['name', 'secret'] });

    expect((await api.request('DELETE', `/api/audit-streams/${id}`, { token: tokens.acmeAdmin })).status).toBe(204);
    expect((await api.get('/api/audit-streams', tokens.acmeAdmin)).body.items).toEqual([]);
    expect(await auditTypes(id)).toEqual(['audit_stream.created', 'audit_stream.updated', 'audit_stream.paused', 'audit_stream.resumed', 'audit_stream.deleted']);
  });

  it('stores the secret sealed when a key is configured, never as given', async () => {
    const key = Buffer.alloc(32, 7);
    const sealed = await startTestServer({ auditStreams: { ...fast, secretKey: key } }, { databaseUrl: server.databaseUrl });
    try {
      const created = await apiClient(sealed.url).post('/api/audit-streams', body('https://siem.example.com/sealed'), tokens.acmeAdmin);
      expect(created.status).toBe(201);
      const row = await server.db.auditStream.findUniqueOrThrow({ where: { id: created.body.id } });
      expect(row.secret).toMatch(/^v1:/);
      expect(row.secret).not.toContain(SECRET);
      await api.request('DELETE', `/api/audit-streams/${created.body.id}`, { token: tokens.acmeAdmin });
    } finally {
      await sealed.close();
    }
  });

  it('members get 403 everywhere, anonymous callers 401; nothing is created', async () => {
    const stream = await api.post('/api/audit-streams', body('https://siem.example.com/a'), tokens.acmeAdmin);
    const id = stream.body.id as string;
    for (const as of ['acmeMember', 'globexMember']) {
      expect((await api.get('/api/audit-streams', tokens[as])).status).toBe(403);
      expect((await api.post('/api/audit-streams', body('https://siem.example.com/b'), tokens[as])).status).toBe(403);
      expect((await api.patch(`/api/audit-streams/${id}`, { paused: true }, tokens[as])).status).toBe(403);
      expect((await api.request('DELETE', `/api/audit-streams/${id}`, { token: tokens[as] })).status).toBe(403);
      expect((await api.get(`/api/audit-streams/${id}/deliveries`, tokens[as])).status).toBe(403);
      expect((await api.post(`/api/audit-streams/${id}/replay`, { since: new Date().toISOString() }, tokens[as])).status).toBe(403);
    }
    expect((await api.get('/api/audit-streams')).status).toBe(401);
    expect((await api.post('/api/audit-streams', body('https://siem.example.com/b'))).status).toBe(401);
    expect(await server.db.auditStream.count({ where: { url: 'https://siem.example.com/b' } })).toBe(0);
    expect((await server.db.auditStream.findUniqueOrThrow({ where: { id } })).status).toBe('active');
    await api.request('DELETE', `/api/audit-streams/${id}`, { token: tokens.acmeAdmin });
  });

  it('another workspace’s admin sees no stream of this one and cannot touch it (404)', async () => {
    const stream = await api.post('/api/audit-streams', body('https://siem.example.com/acme'), tokens.acmeAdmin);
    const id = stream.body.id as string;
    expect((await api.get('/api/audit-streams', tokens.globexAdmin)).body.items).toEqual([]);
    expect((await api.patch(`/api/audit-streams/${id}`, { url: 'https://evil.example.com/' }, tokens.globexAdmin)).status).toBe(404);
    expect((await api.request('DELETE', `/api/audit-streams/${id}`, { token: tokens.globexAdmin })).status).toBe(404);
    expect((await api.get(`/api/audit-streams/${id}/deliveries`, tokens.globexAdmin)).status).toBe(404);
    expect((await api.post(`/api/audit-streams/${id}/replay`, { since: new Date().toISOString() }, tokens.globexAdmin)).status).toBe(404);
    // A workspace admin cannot aim a stream at another workspace either.
    expect((await api.post('/api/audit-streams', body('https://siem.example.com/x', { workspace_id: world.acme.id }), tokens.globexAdmin)).status).toBe(403);
    expect((await server.db.auditStream.findUniqueOrThrow({ where: { id } })).url).toBe('https://siem.example.com/acme');
    // Super admins see it, and create service-wide streams.
    expect((await api.get('/api/audit-streams', tokens.superAdmin)).body.items.map((item: { id: string }) => item.id)).toContain(id);
    const global = await api.post('/api/audit-streams', body('https://siem.example.com/all'), tokens.superAdmin);
    expect(global.status).toBe(201);
    expect(global.body.workspace_id).toBeNull();
    expect((await api.get('/api/audit-streams', tokens.acmeAdmin)).body.items.map((item: { id: string }) => item.id)).toEqual([id]);
    for (const [streamId, as] of [[id, 'acmeAdmin'], [global.body.id, 'superAdmin']] as const) {
      await api.request('DELETE', `/api/audit-streams/${streamId}`, { token: tokens[as] });
    }
  });

  it('refuses plain http off this machine, credentials in the URL, bad formats and short secrets with a 400; nothing is created', async () => {
    const before = await server.db.auditStream.count();
    const refused = [
      body('http://siem.example.com/intake'),
      body('http://10.0.0.5/intake'),
      body('ftp://siem.example.com/'),
      body('not a url'),
      body('https://user:pass@siem.example.com/'),
      body('https://siem.example.com/', { format: 'xml' }),
      body('https://siem.example.com/', { secret: 'short' }),
      body('https://siem.example.com/', { min_severity: 'loud' }),
      { name: 'SIEM', url: 'https://siem.example.com/', format: 'ndjson' },
      body('https://siem.example.com/', { surprise: true }),
    ];
    for (const input of refused) {
      const response = await api.post('/api/audit-streams', input, tokens.acmeAdmin);
      expect(response.status, JSON.stringify(input)).toBe(400);
      expect(response.body.message, JSON.stringify(input)).toBeTruthy();
    }
    expect((await api.post('/api/audit-streams', body('http://siem.example.com/'), tokens.acmeAdmin)).body.error).toBe('insecure_url');
    expect(await server.db.auditStream.count()).toBe(before);
    const stream = await api.post('/api/audit-streams', body('http://127.0.0.1:9/intake'), tokens.acmeAdmin);
    expect(stream.status).toBe(201);
    expect((await api.patch(`/api/audit-streams/${stream.body.id}`, { url: 'http://siem.example.com/' }, tokens.acmeAdmin)).status).toBe(400);
    expect((await api.patch(`/api/audit-streams/${stream.body.id}`, {}, tokens.acmeAdmin)).status).toBe(400);
    expect((await api.post(`/api/audit-streams/${stream.body.id}/replay`, { since: new Date(Date.now() + 3_600_000).toISOString() }, tokens.acmeAdmin)).status).toBe(400);
    expect((await api.get('/api/audit-streams/not-a-uuid/deliveries', tokens.acmeAdmin)).status).toBe(400);
    expect((await server.db.auditStream.findUniqueOrThrow({ where: { id: stream.body.id } })).url).toBe('http://127.0.0.1:9/intake');
    await api.request('DELETE', `/api/audit-streams/${stream.body.id}`, { token: tokens.acmeAdmin });
  });

  it('parallel pauses of one stream pause it once (one audited pause)', async () => {
    const stream = await api.post('/api/audit-streams', body('https://siem.example.com/parallel'), tokens.acmeAdmin);
    const id = stream.body.id as string;
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => api.patch(`/api/audit-streams/${id}`, { paused: true }, i % 2 ? tokens.acmeAdmin : tokens.acmeAdmin2)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
    expect((await auditTypes(id)).filter((type) => type === 'audit_stream.paused')).toHaveLength(1);
    await api.request('DELETE', `/api/audit-streams/${id}`, { token: tokens.acmeAdmin });
  });
});

describe('delivery', () => {
  it('delivers every entry of its workspace at least once, in order and signed, through 500s, timeouts and dropped connections; never another workspace’s', async () => {
    const siem = await newReceiver();
    siem.answerNext('fail', 'hang', 'drop', 'fail');
    const stream = await api.post('/api/audit-streams', body(siem.url), tokens.acmeAdmin);
    expect(stream.status).toBe(201);
    const id = stream.body.id as string;

    const expected: string[] = [];
    const foreign: string[] = [];
    for (let round = 0; round < 5; round++) {
      expected.push(...(await record(world.acme.id, 12, `acme-${round}`)));
      foreign.push(...(await record(world.globex.id, 5, `globex-${round}`)));
      foreign.push(...(await record(null, 1, `service-${round}`)));
    }
    await eventually(() => (expected.every((entry) => siem.accepted().includes(entry)) ? true : undefined), 'every entry accepted', 20_000);

    expect(siem.requests.slice(0, 4).map((request) => request.behaviour)).toEqual(['fail', 'hang', 'drop', 'fail']);
    expect(siem.requests.every((request) => request.signatureValid)).toBe(true);
    expect(siem.requests.every((request) => request.headers['content-type'] === 'application/x-ndjson')).toBe(true);
    // De-duplicated on `id`, the receiver holds exactly the workspace's entries in commit
    // order; the stream's own creation (its first entry) came before any of them.
    const kept = deduplicated(siem.received()).filter((entry) => !foreign.includes(entry));
    expect(kept.filter((entry) => expected.includes(entry))).toEqual(expected);
    expect(siem.received().filter((entry) => foreign.includes(entry))).toEqual([]);
    // Each request's lines are whole entries as the export writes them.
    const line = JSON.parse(siem.requests.at(-1)!.body.trim().split('\n')[0]!);
    expect(line).toMatchObject({ id: expect.any(String), workspace_id: world.acme.id, type: expect.any(String), summary: expect.any(String), created_at: expect.any(String) });

    const deliveries = await api.get(`/api/audit-streams/${id}/deliveries`, tokens.acmeAdmin);
    expect(deliveries.status).toBe(200);
    const statuses = deliveries.body.items.map((item: { status: string }) => item.status);
    expect(statuses).toContain('delivered');
    expect(statuses.filter((status: string) => status === 'failed')).toHaveLength(4);
    const failed = deliveries.body.items.filter((item: { status: string }) => item.status === 'failed');
    expect(failed.map((item: { http_status: number | null }) => item.http_status).sort()).toEqual([500, 500, null, null]);
    expect(deliveries.body.stream).toMatchObject({ status: 'active', failing_since: null, last_error: null });
    // Caught up once the cursor passes the last entry (after the receiver's answer).
    await eventually(async () => ((await api.get(`/api/audit-streams/${id}/deliveries`, tokens.acmeAdmin)).body.lag_ms === 0 ? true : undefined), 'lag 0');
    await api.request('DELETE', `/api/audit-streams/${id}`, { token: tokens.acmeAdmin });
  });

  it('filters by type and severity, and formats Splunk HEC and Datadog bodies with their tokens', async () => {
    const splunk = await newReceiver();
    const datadog = await newReceiver();
    const hec = await api.post('/api/audit-streams', body(splunk.url, { format: 'splunk_hec', token: 'hec-abc', min_severity: 'warning' }), tokens.globexAdmin);
    const dd = await api.post('/api/audit-streams', body(datadog.url, { format: 'datadog', token: 'dd-key', types: ['job.failed'] }), tokens.globexAdmin);
    const info = await record(world.globex.id, 3, 'globex-info');
    const warnings = await record(world.globex.id, 2, 'globex-warning', 'warning');
    const [failedJob] = await server.db.$queryRaw<{ id: string }[]>`
      INSERT INTO activities (workspace_id, type, summary) VALUES (${world.globex.id}::uuid, 'job.failed', 'job failed') RETURNING id`;
    await eventually(() => (warnings.every((entry) => splunk.accepted().includes(entry)) ? true : undefined), 'warnings at Splunk');
    await eventually(() => (datadog.accepted().includes(failedJob!.id) ? true : undefined), 'job at Datadog');
    expect(splunk.received().filter((entry) => info.includes(entry) || entry === failedJob!.id)).toEqual([]);
    expect(datadog.received().filter((entry) => info.includes(entry) || warnings.includes(entry))).toEqual([]);
    const hecRequest = splunk.requests.find((request) => request.ids.includes(warnings[0]!))!;
    expect(hecRequest.headers.authorization).toBe('Splunk hec-abc');
    const hecEvents = hecRequest.body.split('\n').map((line) => JSON.parse(line));
    expect(hecEvents.find((event) => event.event.id === warnings[0])).toMatchObject({ time: expect.any(Number), sourcetype: 'tray-notify:activity', event: { summary: 'globex-warning-0' } });
    const ddRequest = datadog.requests.find((request) => request.ids.includes(failedJob!.id))!;
    expect(ddRequest.headers['dd-api-key']).toBe('dd-key');
    expect(JSON.parse(ddRequest.body).find((entry: { id: string }) => entry.id === failedJob!.id)).toMatchObject({ ddsource: 'tray-notify', message: 'job failed' });
    for (const created of [hec, dd]) await api.request('DELETE', `/api/audit-streams/${created.body.id}`, { token: tokens.globexAdmin });
  });

  it('does not skip an entry whose transaction began earlier but committed after later ones', async () => {
    // Writers of one workspace's chain take turns (its head row is locked until commit), so a
    // commit that passes later ones is another chain's: the service-wide stream carries both.
    const siem = await newReceiver();
    const stream = await api.post('/api/audit-streams', body(siem.url), tokens.superAdmin);
    const slow = new pg.Client(pgConfigFromUrl(server.databaseUrl));
    await slow.connect();
    try {
      await slow.query('BEGIN');
      const { rows } = await slow.query<{ id: string }>(
        `INSERT INTO activities (workspace_id, type, summary) VALUES ($1, 'lead.updated', 'committed late') RETURNING id`,
        [world.acme.id],
      );
      const late = rows[0]!.id;
      const after = await record(world.globex.id, 5, 'committed-first');
      // While the early transaction is open, nothing after it is sent: the order is not final yet.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(siem.received().filter((entry) => after.includes(entry))).toEqual([]);
      await slow.query('COMMIT');
      await eventually(() => ([late, ...after].every((entry) => siem.accepted().includes(entry)) ? true : undefined), 'late entry and the rest');
      expect(deduplicated(siem.received()).filter((entry) => [late, ...after].includes(entry))).toEqual([late, ...after]);
    } finally {
      await slow.end();
    }
    await api.request('DELETE', `/api/audit-streams/${stream.body.id}`, { token: tokens.superAdmin });
  });

  it('replays from a time: the entries since then arrive again, and the replay is audited', async () => {
    const siem = await newReceiver();
    const stream = await api.post('/api/audit-streams', body(siem.url), tokens.acmeAdmin);
    const id = stream.body.id as string;
    const first = await record(world.acme.id, 3, 'before-replay');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const since = new Date();
    const second = await record(world.acme.id, 4, 'since-replay');
    await eventually(() => (second.every((entry) => siem.accepted().includes(entry)) ? true : undefined), 'first delivery');
    const requestsBefore = siem.requests.length;
    const replay = await api.post(`/api/audit-streams/${id}/replay`, { since: since.toISOString() }, tokens.acmeAdmin);
    expect(replay.status).toBe(200);
    await eventually(
      () => (second.every((entry) => siem.requests.slice(requestsBefore).some((request) => request.ids.includes(entry))) ? true : undefined),
      'replayed entries',
    );
    const again = siem.requests.slice(requestsBefore).flatMap((request) => request.ids);
    expect(again.filter((entry) => first.includes(entry))).toEqual([]);
    expect(deduplicated(again).filter((entry) => second.includes(entry))).toEqual(second);
    expect(await auditTypes(id)).toContain('audit_stream.replayed');
    await api.request('DELETE', `/api/audit-streams/${id}`, { token: tokens.acmeAdmin });
  });
});

describe('a receiver that keeps failing', () => {
  it('pauses the stream after the configured time, audits it and tells the workspace admins (critical); resuming delivers what waited', async () => {
    const pausing = await startTestServer({ auditStreams: { ...fast, pauseAfterMs: 600 } });
    try {
      const local = apiClient(pausing.url);
      const localWorld = await createWorld(pausing.db);
      const admin = await local.login(localWorld.users.acmeAdmin.email);
      const siem = await newReceiver();
      siem.otherwise('fail');
      const stream = await local.post('/api/audit-streams', body(siem.url), admin);
      const id = stream.body.id as string;
      const [entry] = await pausing.db.$queryRaw<{ id: string }[]>`
        INSERT INTO activities (workspace_id, type, summary) VALUES (${localWorld.acme.id}::uuid, 'lead.updated', 'waits') RETURNING id`;
      const paused = await eventually(async () => {
        const { body: item } = await local.get(`/api/audit-streams/${id}/deliveries`, admin);
        return item.stream.status === 'paused' ? item : undefined;
      }, 'the stream paused');
      expect(paused.stream.paused_reason).toContain('500');
      expect(paused.stream.failing_since).toEqual(expect.any(String));
      expect(paused.lag_ms).toBeGreaterThan(0);
      const attempts = siem.requests.length;
      expect(attempts).toBeGreaterThan(1);
      const pausedEntry = await pausing.db.activity.findFirstOrThrow({ where: { entityId: id, type: 'audit_stream.paused' } });
      expect(pausedEntry.severity).toBe('critical');
      for (const as of ['acmeAdmin', 'acmeAdmin2']) {
        const inbox = await local.get('/api/notifications', await local.login(localWorld.users[as as 'acmeAdmin'].email));
        expect(inbox.body.items.map((item: { type: string }) => item.type), as).toContain('audit_stream_paused');
      }
      const memberInbox = await local.get('/api/notifications', await local.login(localWorld.users.acmeMember.email));
      expect(memberInbox.body.items.map((item: { type: string }) => item.type)).not.toContain('audit_stream_paused');
      // Paused: no more attempts.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(siem.requests.length).toBe(attempts);

      siem.otherwise('ok');
      expect((await local.patch(`/api/audit-streams/${id}`, { paused: false }, admin)).body.status).toBe('active');
      await eventually(() => (siem.accepted().includes(entry!.id) ? true : undefined), 'the waiting entry after resuming');
    } finally {
      await pausing.close();
    }
  });
});
