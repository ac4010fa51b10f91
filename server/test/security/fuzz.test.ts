import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createWorld, startTestServer, type ApiClient, type ApiResponse, type TestServer, type World } from '../helper.ts';
import { createAcmeResources, ROUTES, type Entry, type Ids } from './route-table.ts';

// Property-based fuzzing of every route's query and body, starting from a valid request and
// replacing one value with something arbitrary or hostile: never a 5xx or a stack trace, and
// nothing written when the answer is 4xx.

const HOSTILE = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '0000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '9999-12-31T23:59:59Z',
  '-'.repeat(36),
  '00000000-0000-0000-0000-000000000000',
  '%00',
  '../../etc/passwd',
  "' OR 1=1 --",
  '\u202e',
  'x'.repeat(5000),
];

const deep = (depth: number): unknown => (depth === 0 ? 'bottom' : { a: deep(depth - 1) });

const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.fullUnicodeString({ maxLength: 40 }),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, [], {}, Number.MAX_SAFE_INTEGER, -1, deep(100)),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};
let apiKey: string;
let ids: Ids;
let queries: { path: string; names: string[] }[];

beforeAll(async () => {
  server = await startTestServer({ rateLimit: { writesPerUser: 100_000, writesPerApiKey: 100_000, anonymousWritesPerAddress: 100_000, windowSeconds: 60 } });
  api = apiClient(server.url);
  world = await createWorld(server.db);
  tokens.admin = await api.login(world.users.acmeAdmin.email);
  tokens.member = await api.login(world.users.acmeMember.email);
  tokens.super = await api.login(world.users.superAdmin.email);
  apiKey = (await api.post('/api/api-keys', { name: 'fuzz' }, tokens.admin)).body.key;
  ids = await createAcmeResources(api, world, tokens.admin!, tokens.member!);
  const document = (await api.get('/docs/json')).body as { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> };
  queries = Object.entries(document.paths)
    .filter(([path]) => path !== '/api/notifications/stream' && document.paths[path]!.get)
    .map(([path, item]) => ({ path, names: (item.get!.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name) }))
    .filter((query) => query.names.length > 0);
});
afterAll(() => server.close());

/** Rows across the tables a write can touch: unchanged after any 4xx. */
async function written(): Promise<string> {
  const rows = await server.db.$queryRaw<Record<string, bigint>[]>`
    SELECT (SELECT count(*) FROM activities) a, (SELECT count(*) FROM leads) l, (SELECT count(*) FROM notifications) n,
           (SELECT count(*) FROM tasks) t, (SELECT count(*) FROM campaigns) c, (SELECT count(*) FROM jobs) j,
           (SELECT count(*) FROM lead_lists) ll, (SELECT count(*) FROM api_keys) k, (SELECT count(*) FROM email_replies) r`;
  return JSON.stringify(rows[0], (_key, v) => (typeof v === 'bigint' ? Number(v) : v));
}

function expectSound(response: ApiResponse, what: string) {
  expect(response.status, `${what} → ${response.status} ${JSON.stringify(response.body)?.slice(0, 300)}`).toBeLessThan(500);
  const text = JSON.stringify(response.body ?? '');
  expect(text, what).not.toMatch(/\bat .*\.(ts|js):\d+|PrismaClient|DriverAdapterError/);
  if (response.status >= 400) expect(response.body, what).toMatchObject({ error: expect.any(String), message: expect.any(String) });
}

/** Every path to a value in a JSON body, plus one new field at the top. */
function paths(body: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(body)) return body.flatMap((item, index) => paths(item, [...prefix, index]));
  if (body && typeof body === 'object') return Object.entries(body).flatMap(([key, item]) => [[...prefix, key], ...paths(item, [...prefix, key])]);
  return [];
}

function replaced(body: unknown, path: (string | number)[], next: unknown): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let target = copy;
  for (const step of path.slice(0, -1)) target = target[step] as Record<string | number, unknown>;
  target[path.at(-1)!] = next;
  return copy;
}

const writes = Object.entries(ROUTES).filter(
  ([key, entry]) => entry.body && !key.startsWith('GET ') && entry.access !== 'super' && key !== 'POST /api/auth/login',
) as [string, Entry & { body: (ids: Ids) => unknown }][];

describe('fuzzing derived from the routes', () => {
  it('bodies: one value replaced by anything → never 5xx, and nothing written on 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...writes), fc.nat(), value, fc.boolean(), async ([key, entry], pick, next, addField) => {
        const [method, template] = key.split(' ') as [string, string];
        const valid = entry.body(ids);
        const candidates = paths(valid);
        const field = pick % 2 ? 'extra' : 'extra\u0000';
        const body = addField || candidates.length === 0 ? { ...(valid as object), [field]: next } : replaced(valid, candidates[pick % candidates.length]!, next);
        const url = template.replace(/\{[^}]+\}/, () => (entry.id ? ids[entry.id] : ''));
        const token = entry.access === 'key' ? apiKey : tokens.admin;
        const before = await written();
        const response = await api.request(method, url, { token, body });
        expectSound(response, `${key} ${JSON.stringify(body).slice(0, 200)}`);
        if (response.status >= 400) expect(await written(), `${key} wrote on ${response.status}`).toBe(before);
      }),
      { numRuns: 150, seed: Number(process.env.FUZZ_SEED ?? 20261130) },
    );
  });

  it('queries: any value for any parameter → never 5xx', async () => {
    expect(queries.length).toBeGreaterThan(3);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...queries), fc.nat(), value, async (query, pick, next) => {
        const name = query.names[pick % query.names.length]!;
        const raw = typeof next === 'string' ? next : JSON.stringify(next);
        // Lone surrogates cannot be percent-encoded by encodeURIComponent: send their bytes escaped.
        const encoded = (() => {
          try {
            return encodeURIComponent(raw);
          } catch {
            return '%ED%A0%80';
          }
        })();
        const token = query.path.startsWith('/api/admin') ? tokens.super : tokens.admin;
        const response = await api.request('GET', `${query.path}?${name}=${encoded}`, { token });
        expectSound(response, `${query.path}?${name}=${raw.slice(0, 80)}`);
      }),
      { numRuns: 150, seed: Number(process.env.FUZZ_SEED ?? 20261130) },
    );
  });
});
