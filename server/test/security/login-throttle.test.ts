import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createWorld, PASSWORD, startTestServer, type ApiClient, type TestServer, type World } from '../helper.ts';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { pgConfigFromUrl } from '../../src/db/connection.ts';
import { PrismaClient } from '../../src/db/prisma.ts';

// Limits small enough to reach quickly; the proxy is trusted so each request can claim an address.
const PER_ACCOUNT_AND_ADDRESS = 10;
const PER_ACCOUNT = 25;
const ALERT_AFTER = 5;

let server: TestServer;
let api: ApiClient;
let world: World;

beforeAll(async () => {
  server = await startTestServer({
    trustProxy: true,
    loginMaxFailuresPerAccountAddress: PER_ACCOUNT_AND_ADDRESS,
    loginMaxFailuresPerAccount: PER_ACCOUNT,
    loginMaxAttemptsPerAddress: 1000,
    loginAlertAfterFailures: ALERT_AFTER,
  });
  api = apiClient(server.url);
  world = await createWorld(server.db);
});
afterAll(() => server.close());

const attempt = (email: string, password: string, address = '203.0.113.1') =>
  api.request('POST', '/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': address } });

const alerts = (userId: string) =>
  server.db.activity.findMany({ where: { type: 'auth.login_failed', entityId: userId } });

describe('login throttling under concurrency', () => {
  it('30 concurrent wrong passwords: exactly the limit are checked, the rest are 429; one alert per workspace', async () => {
    const { email, id } = world.users.both;
    const responses = await Promise.all(Array.from({ length: 30 }, () => attempt(email, 'wrong')));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 401), statuses.join(' ')).toHaveLength(PER_ACCOUNT_AND_ADDRESS);
    expect(statuses.filter((status) => status === 429)).toHaveLength(30 - PER_ACCOUNT_AND_ADDRESS);
    for (const response of responses.filter((r) => r.status === 429)) {
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // "both" belongs to two workspaces: the alert goes to each, once for this window.
    const raised = await alerts(id);
    expect(raised.map((entry) => entry.workspaceId).sort()).toEqual([world.acme.id, world.globex.id].sort());
    expect(raised.every((entry) => entry.severity === 'critical')).toBe(true);
    // More failures in the same window (another address) raise nothing more.
    expect((await attempt(email, 'wrong', '203.0.113.2')).status).toBe(401);
    expect(await alerts(id)).toHaveLength(2);
  });

  it('a flood from one address does not lock the real user out elsewhere; the account-wide backstop holds', async () => {
    const { email } = world.users.acmeMember;
    for (let i = 0; i < PER_ACCOUNT_AND_ADDRESS; i++) expect((await attempt(email, 'wrong', '198.51.100.7')).status).toBe(401);
    expect((await attempt(email, PASSWORD, '198.51.100.7')).status).toBe(429);
    // The real user, from their own address, still gets in.
    expect((await attempt(email, PASSWORD, '192.0.2.10')).status).toBe(200);

    // Spread over many addresses, failures still stop at the account-wide limit.
    const spread = await Promise.all(
      Array.from({ length: PER_ACCOUNT + 5 - PER_ACCOUNT_AND_ADDRESS }, (_, i) => attempt(email, 'wrong', `198.51.100.${20 + i}`)),
    );
    expect(spread.filter((response) => response.status === 401)).toHaveLength(PER_ACCOUNT - PER_ACCOUNT_AND_ADDRESS);
    expect((await attempt(email, PASSWORD, '192.0.2.10')).status).toBe(429);
  });

  it('does the same work for an unknown email as for a wrong password (no timing oracle)', async () => {
    // The same database statements in the same order on both paths (the password check itself
    // runs against a dummy hash for an unknown email), so timing reveals nothing.
    const statements: string[] = [];
    const db = new PrismaClient({
      adapter: new PrismaPg({ ...pgConfigFromUrl(server.databaseUrl), max: 2 }),
      log: [{ emit: 'event', level: 'query' }],
    });
    db.$on('query', (event) => statements.push(event.query));
    // Only the login's statements: the server's periodic work (alert rules every 2 s, snoozes,
    // escalations, the SIEM sender every 250 ms) is put an hour away so none of it interleaves.
    const hourly = { ALERT_EVALUATION_SECONDS: '3600', SNOOZE_POLL_SECONDS: '3600', ESCALATION_POLL_SECONDS: '3600', EMAIL_DIGEST_SECONDS: '3600' };
    const config = loadConfig(hourly);
    const auditStreams = { ...config.auditStreams, pollMs: 3_600_000 };
    const app = await buildApp({ config: { ...config, auditStreams, databaseUrl: server.databaseUrl, webRoot: '/nonexistent' }, prisma: db });
    try {
      const run = async (email: string) => {
        statements.length = 0;
        const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'wrong' } });
        expect(response.statusCode).toBe(401);
        return [...statements];
      };
      await run('warm-up@test.example');
      const known = await run(world.users.globexMember.email);
      const unknown = await run('nobody@test.example');
      expect(known.length).toBeGreaterThan(0);
      expect(unknown).toEqual(known);
    } finally {
      app.streamHub.closeStreams();
      await app.close();
      await db.$disconnect();
    }
  });
});
