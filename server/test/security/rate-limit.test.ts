import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../helper.ts';

// Small limits, two instances on one database: the limit is per caller across instances.
const PER_USER = 20;
const PER_KEY = 30;

let server: TestServer;
let other: TestServer;
let api: ApiClient;
let otherApi: ApiClient;
let world: World;
const tokens: Record<string, string> = {};
let apiKey: string;

beforeAll(async () => {
  const config = { rateLimit: { writesPerUser: PER_USER, writesPerApiKey: PER_KEY, windowSeconds: 60 } };
  server = await startTestServer(config);
  other = await startTestServer(config, { databaseUrl: server.databaseUrl });
  api = apiClient(server.url);
  otherApi = apiClient(other.url);
  world = await createWorld(server.db);
  for (const who of ['acmeMember', 'acmeAdmin', 'globexMember'] as const) tokens[who] = await api.login(world.users[who].email);
  apiKey = (await api.post('/api/api-keys', { name: 'sync' }, tokens.acmeAdmin)).body.key;
});
afterAll(async () => {
  await other.close();
  await server.close();
});

describe('write rate limits', () => {
  it('per user, across instances: beyond the limit 429 with Retry-After; reads and other users unaffected', async () => {
    const writes = await Promise.all(
      Array.from({ length: PER_USER + 10 }, (_, i) =>
        (i % 2 ? otherApi : api).post('/api/leads', { name: `Lead ${i}` }, tokens.acmeMember),
      ),
    );
    const statuses = writes.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(PER_USER);
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
    const refused = writes.find((response) => response.status === 429)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body).toMatchObject({ error: 'too_many_requests' });
    expect(await server.db.lead.count({ where: { name: { startsWith: 'Lead ' } } })).toBe(PER_USER);

    expect((await api.get('/api/notifications', tokens.acmeMember)).status).toBe(200);
    expect((await api.post('/api/leads', { name: 'Someone else' }, tokens.globexMember)).status).toBe(201);
  });

  it('per API key', async () => {
    const send = () =>
      api.request('POST', '/api/events', {
        body: { events: [{ type: 'lead.created', summary: 'x' }] },
        headers: { authorization: `Bearer ${apiKey}` },
      });
    const statuses = (await Promise.all(Array.from({ length: PER_KEY + 5 }, send))).map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(PER_KEY);
    expect(statuses.filter((status) => status === 429)).toHaveLength(5);
  });
});
