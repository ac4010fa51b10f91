import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../helper.ts';

// Small limits, two instances on one database: the limit is per caller across instances.
const PER_USER = 20;
const PER_KEY = 30;
const PER_ADDRESS = 12;

let server: TestServer;
let other: TestServer;
let api: ApiClient;
let otherApi: ApiClient;
let world: World;
const tokens: Record<string, string> = {};
let apiKey: string;

beforeAll(async () => {
  const config = { rateLimit: { writesPerUser: PER_USER, writesPerApiKey: PER_KEY, anonymousWritesPerAddress: 1000, windowSeconds: 60 } };
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

describe('anonymous writes (log in, bell sign-in)', () => {
  it('per address, across instances: beyond the limit 429 with Retry-After, whatever the route', async () => {
    // Servers of their own: the shared ones above logged in from this address already.
    const config = { rateLimit: { writesPerUser: PER_USER, writesPerApiKey: PER_KEY, anonymousWritesPerAddress: PER_ADDRESS, windowSeconds: 60 } };
    const first = await startTestServer(config);
    const second = await startTestServer(config, { databaseUrl: first.databaseUrl });
    try {
      const clients = [apiClient(first.url), apiClient(second.url)];
      const bellSignIn = { workspace_id: randomUUID(), user_id: randomUUID(), timestamp: Math.floor(Date.now() / 1000), signature: 'f'.repeat(64) };
      const responses = await Promise.all(
        Array.from({ length: PER_ADDRESS + 8 }, (_, i) =>
          i % 2
            ? clients[i % 4 < 2 ? 0 : 1]!.post('/api/auth/login', { email: 'nobody@test.example', password: 'wrong' })
            : clients[i % 4 < 2 ? 0 : 1]!.post('/api/embed/session', bellSignIn),
        ),
      );
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 401)).toHaveLength(PER_ADDRESS);
      expect(statuses.filter((status) => status === 429)).toHaveLength(8);
      const refused = responses.find((response) => response.status === 429)!;
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.body).toMatchObject({ error: 'too_many_requests', message: expect.stringMatching(/this address/) });
      // Refused before anything was tried: no login attempt recorded beyond the logins let through
      // (which of the two kinds fill the limit depends on the order the requests arrive in).
      const loginsLetThrough = responses.filter((response, i) => i % 2 === 1 && response.status === 401).length;
      expect(await first.db.loginAttempt.count()).toBeLessThanOrEqual(loginsLetThrough);
    } finally {
      await second.close();
      await first.close();
    }
  });
});
