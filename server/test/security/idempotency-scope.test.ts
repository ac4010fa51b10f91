import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer } from '../helper.ts';

let server: TestServer;
let api: ApiClient;
const keys: string[] = [];
let leadId: string;

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
  const world = await createWorld(server.db);
  const admin = await api.login(world.users.acmeAdmin.email);
  for (const name of ['one', 'two']) keys.push((await api.post('/api/api-keys', { name }, admin)).body.key);
  leadId = (await api.post('/api/leads', { name: 'Lead' }, admin)).body.id;
});
afterAll(() => server.close());

const post = (key: string, path: string, rawBody: string, idempotencyKey: string) =>
  api.request('POST', path, { rawBody, headers: { authorization: `Bearer ${key}`, 'idempotency-key': idempotencyKey } });

describe('Idempotency-Key', () => {
  it('the same JSON in another key order is the same request: replayed, not 422', async () => {
    const first = await post(keys[0]!, '/api/events', '{"events":[{"type":"lead.created","summary":"ordered","entity_type":"lead","entity_id":"e1"}]}', 'k-order');
    const again = await post(keys[0]!, '/api/events', '{"events":[{"entity_id":"e1","summary":"ordered","entity_type":"lead","type":"lead.created"}]}', 'k-order');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await server.db.activity.count({ where: { summary: 'ordered' } })).toBe(1);
  });

  it('is scoped to the API key and the route: another key, or another route, with the same value is a new request', async () => {
    const body = (summary: string) => JSON.stringify({ events: [{ type: 'lead.created', summary }] });
    expect((await post(keys[0]!, '/api/events', body('by one'), 'shared')).status).toBe(201);
    const byOther = await post(keys[1]!, '/api/events', body('by two'), 'shared');
    expect(byOther.status).toBe(201);
    expect(byOther.headers.get('idempotent-replayed')).toBeNull();
    const reply = await post(keys[0]!, '/api/inbound/replies', JSON.stringify({ lead_id: leadId, subject: 'Re: hi' }), 'shared');
    expect(reply.status).toBe(201);
    expect(reply.headers.get('idempotent-replayed')).toBeNull();
    expect(await server.db.activity.count({ where: { summary: { in: ['by one', 'by two'] } } })).toBe(2);
  });
});
