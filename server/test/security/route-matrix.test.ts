import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAcmeResources, ROUTES, type Ids } from './route-table.ts';
import { apiClient, createWorld, startTestServer, type ApiClient, type ApiResponse, type TestServer, type World } from '../helper.ts';

// Every route the app serves (read from its own route table: the OpenAPI document is built from
// Fastify's onRoute) × every kind of caller. A route added without an entry below fails here.

let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};
const keys: Record<'acme' | 'globex', string> = { acme: '', globex: '' };
let ids: Ids;
let routes: { method: string; path: string }[];

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const who of ['acmeMember', 'acmeAdmin', 'globexAdmin', 'globexMember', 'superAdmin'] as const) {
    tokens[who] = await api.login(world.users[who].email);
  }
  keys.acme = (await api.post('/api/api-keys', { name: 'acme' }, tokens.acmeAdmin)).body.key;
  keys.globex = (await api.post('/api/api-keys', { name: 'globex' }, tokens.globexAdmin)).body.key;
  ids = await createAcmeResources(api, world, tokens.acmeAdmin!, tokens.acmeMember!);

  const document = (await api.get('/docs/json')).body as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
});
afterAll(() => server.close());

const entryOf = (route: { method: string; path: string }) => ROUTES[`${route.method} ${route.path}`];

async function call(route: { method: string; path: string }, bearer: string | undefined): Promise<ApiResponse> {
  const entry = entryOf(route)!;
  const url = route.path.replace(/\{[^}]+\}/, () => (entry.id ? ids[entry.id] : ''));
  if (route.path === '/api/notifications/stream') {
    // Only the status matters: hang up once the answer begins.
    const response = await fetch(server.url + url, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
    await response.body?.cancel();
    return { status: response.status, headers: response.headers, body: null };
  }
  return api.request(route.method, url, { token: bearer, body: entry.body?.(ids) });
}

/** Nothing of Acme in what another workspace's caller gets back. */
function expectNothingOfAcme(response: ApiResponse, what: string) {
  const text = JSON.stringify(response.body ?? '');
  for (const secret of [world.acme.id, ids.lead, ids.campaign, ids.job, ids.run, ids.task, ids.list, 'Acme secret lead']) {
    expect(text.includes(secret), `${what} leaked ${secret}: ${text.slice(0, 300)}`).toBe(false);
  }
}

describe('route matrix', () => {
  it('every route has an entry (a new route must be added here)', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((route) => !entryOf(route)).map((route) => `${route.method} ${route.path}`)).toEqual([]);
    const served = new Set(routes.map((route) => `${route.method} ${route.path}`));
    expect(Object.keys(ROUTES).filter((key) => !served.has(key))).toEqual([]);
  });

  it('anonymous callers get 401 everywhere but the public routes', async () => {
    for (const route of routes) {
      const response = await call(route, undefined);
      const name = `${route.method} ${route.path}`;
      if (entryOf(route)!.access === 'public') {
        expect(response.status, name).toBeLessThan(500);
        expect(response.body?.error, name).not.toBe('unauthorized');
      } else {
        expect(response.status, name).toBe(401);
        expect(response.body?.error ?? 'unauthorized', name).toBe('unauthorized');
      }
    }
  });

  it('an API key opens only the integration routes; a user token never opens them', async () => {
    for (const route of routes) {
      const access = entryOf(route)!.access;
      const name = `${route.method} ${route.path}`;
      if (access === 'public') continue;
      if (access === 'key') expect((await call(route, tokens.acmeAdmin)).status, name).toBe(401);
      else expect((await call(route, keys.acme)).status, name).toBe(401);
    }
  });

  it('members get 403 on admin routes; only super admins open the admin console', async () => {
    for (const route of routes) {
      const access = entryOf(route)!.access;
      const name = `${route.method} ${route.path}`;
      if (access === 'admin') expect((await call(route, tokens.acmeMember)).status, name).toBe(403);
      if (access === 'super') {
        expect((await call(route, tokens.acmeAdmin)).status, name).toBe(403);
        expect((await call(route, tokens.superAdmin)).status, name).toBe(200);
      }
    }
  });

  it("another workspace's admin (and API key) gets 404 for every Acme id, and nothing of Acme in any body", async () => {
    for (const route of routes) {
      const entry = entryOf(route)!;
      const name = `${route.method} ${route.path}`;
      if (entry.access === 'public' || entry.access === 'super') continue;
      // Logging out ends the session the other calls use: a session of its own.
      const token = name === 'POST /api/auth/logout' ? await api.login(world.users.globexAdmin.email) : tokens.globexAdmin;
      const response = await call(route, entry.access === 'key' ? keys.globex : token);
      expectNothingOfAcme(response, name);
      const namesAcme = entry.id !== undefined || (entry.access === 'key' && route.path === '/api/inbound/replies');
      if (namesAcme) expect(response.status, `${name}: ${JSON.stringify(response.body)}`).toBe(404);
      else expect(response.status, `${name}: ${JSON.stringify(response.body)}`).toBeLessThan(500);
    }
  });
});
