import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../helper.ts';

// One tenant's integration must not be able to bury everyone's audit trail: its clock cannot
// move rows to the top (or bottom) of a feed, and it cannot call anything it likes critical.

let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};
let acmeKey: string;

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const who of ['superAdmin', 'acmeAdmin', 'globexMember'] as const) tokens[who] = await api.login(world.users[who].email);
  acmeKey = (await api.post('/api/api-keys', { name: 'sync' }, tokens.acmeAdmin)).body.key;
});
afterAll(() => server.close());

const send = (events: object[]) =>
  api.request('POST', '/api/events', { body: { events }, headers: { authorization: `Bearer ${acmeKey}` } });
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
const DAY = 24 * 3600 * 1000;

describe('integration events and the audit trail', () => {
  it('occurred_at: no future beyond a small clock skew, nothing older than the oldest accepted', async () => {
    for (const occurred of ['9999-12-31T00:00:00Z', at(3600 * 1000), '1970-01-01T00:00:00Z', at(-400 * DAY)]) {
      const response = await send([{ type: 'lead.created', summary: 'dated', occurred_at: occurred }]);
      expect(response.status, occurred).toBe(400);
      expect(response.body.message).toContain('events.0.occurred_at');
    }
    expect((await send([{ type: 'lead.created', summary: 'skewed', occurred_at: at(60 * 1000) }])).status).toBe(201);
    expect((await send([{ type: 'lead.created', summary: 'history', occurred_at: at(-30 * DAY) }])).status).toBe(201);
    const replies = await api.request('POST', '/api/inbound/replies', {
      body: { lead_id: '7b6f0c9e-4b7e-4c1b-9a53-1b0f4b2f9e11', subject: 'x', received_at: '9999-12-31T00:00:00Z' },
      headers: { authorization: `Bearer ${acmeKey}` },
    });
    expect(replies.status).toBe(400);
    expect(replies.body.message).toContain('received_at');
  });

  it('critical only where the server says so: job and playbook failures', async () => {
    const response = await send([{ type: 'lead.created', summary: 'alarm!', severity: 'critical' }]);
    expect(response.status).toBe(400);
    expect(response.body.message).toContain('events.0.severity');
    expect((await send([{ type: 'lead.created', summary: 'heads up', severity: 'warning' }])).status).toBe(201);
    const failed = await send([{ type: 'job.failed', summary: 'sync failed', severity: 'info' }]);
    expect(failed.status).toBe(201);
    expect((await server.db.activity.findFirstOrThrow({ where: { id: failed.body.activity_ids[0] } })).severity).toBe('critical');
  });

  it('critical events are ordered by when the server recorded them, not by the sender’s clock', async () => {
    const job = (await api.post('/api/jobs', { kind: 'csv_import' }, tokens.globexMember)).body;
    expect((await api.post(`/api/jobs/${job.id}/fail`, { error: 'bad file' }, tokens.globexMember)).status).toBe(200);
    // Recorded after the job failure, though it says it happened a day ago.
    const late = await send([{ type: 'job.failed', summary: 'late report', occurred_at: at(-DAY) }]);
    expect(late.status).toBe(201);
    const items = (await api.get('/api/admin/critical-events?limit=5', tokens.superAdmin)).body.items as any[];
    expect(items.slice(0, 2).map((item) => item.summary)).toEqual(['late report', 'csv_import job failed: bad file']);
  });
});
