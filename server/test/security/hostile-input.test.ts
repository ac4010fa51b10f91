import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../helper.ts';

// Inputs that PostgreSQL or the JSON layer cannot store: each must be a 400 naming the field,
// never a 500 (which would also log a stack trace).

let server: TestServer;
let api: ApiClient;
let world: World;
let member: string;
let apiKey: string;
let leadId: string;

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
  world = await createWorld(server.db);
  member = await api.login(world.users.acmeMember.email);
  const admin = await api.login(world.users.acmeAdmin.email);
  apiKey = (await api.post('/api/api-keys', { name: 'sync' }, admin)).body.key;
  leadId = (await api.post('/api/leads', { name: 'Target' }, member)).body.id;
});
afterAll(() => server.close());

const withKey = (path: string, body: unknown) =>
  api.request('POST', path, { body, headers: { authorization: `Bearer ${apiKey}` } });

const nested = (depth: number) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value as object;
};

const cursor = (date: string, id: string) => Buffer.from(JSON.stringify([date, id])).toString('base64url');

function expect400(response: { status: number; body: any }, field: string) {
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  expect(response.body.error).toMatch(/^invalid_/);
  expect(response.body.message).toContain(field);
  expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(ts|js):\d+|Prisma|postgres/i);
}

describe('hostile input gets a 400 naming the field', () => {
  it('NUL bytes: login email (before login), names, summaries, meta keys and values', async () => {
    expect400(await api.post('/api/auth/login', { email: 'a\u0000@b.test', password: 'x' }), 'email');
    expect400(await api.post('/api/leads', { name: 'Nul\u0000Name' }, member), 'name');
    expect400(await api.patch(`/api/leads/${leadId}`, { stage: 'x\u0000' }, member), 'stage');
    expect400(await withKey('/api/events', { events: [{ type: 'lead.created', summary: 'nul \u0000' }] }), 'events.0.summary');
    expect400(await withKey('/api/events', { events: [{ type: 'lead.created', summary: 'ok', meta: { note: 'a\u0000' } }] }), 'events.0.meta.note');
    expect400(await withKey('/api/events', { events: [{ type: 'lead.created', summary: 'ok', meta: { 'k\u0000': 1 } }] }), 'events.0.meta');
    expect400(await api.get('/api/activity?entity_type=a%00b', member), 'entity_type');
  });

  it('lone surrogates', async () => {
    // JSON.stringify escapes a lone surrogate as \ud800, exactly as a hostile client would send it.
    expect400(await api.post('/api/leads', { name: 'Half \ud800 a pair' }, member), 'name');
    expect400(await withKey('/api/events', { events: [{ type: 'lead.created', summary: 'ok', meta: { x: '\udc00' } }] }), 'events.0.meta.x');
    expect400(await withKey('/api/inbound/replies', { lead_id: leadId, subject: '\ud83d' }), 'subject');
  });

  it('dates outside what the database stores (year 0000, six-digit years)', async () => {
    expect400(await api.get('/api/activity?since=0000-01-01T00:00:00Z', member), 'since');
    expect400(await api.get('/api/activity?until=%2B275760-09-13T00:00:00Z', member), 'until');
    expect400(await withKey('/api/events', { events: [{ type: 'lead.created', summary: 'x', occurred_at: '0000-01-01T00:00:00Z' }] }), 'occurred_at');
    expect400(await withKey('/api/inbound/replies', { lead_id: leadId, subject: 'x', received_at: '0000-01-01T00:00:00Z' }), 'received_at');
    const assignee = world.users.acmeMember.id;
    expect400(await api.post('/api/tasks', { lead_id: leadId, title: 't', assignee_user_id: assignee, due_at: '0000-01-01T00:00:00Z' }, member), 'due_at');
  });

  it('forged cursors', async () => {
    const id = '7b6f0c9e-4b7e-4c1b-9a53-1b0f4b2f9e11';
    for (const forged of [cursor('+275760-09-13T00:00:00.000Z', id), cursor('2026-01-01T00:00:00.000Z', '-'.repeat(36)), cursor('0000-01-01T00:00:00.000Z', id)]) {
      expect400(await api.get(`/api/notifications?cursor=${forged}`, member), 'cursor');
      expect400(await api.get(`/api/activity?cursor=${forged}`, member), 'cursor');
    }
  });

  it('meta nested 3,000 deep', async () => {
    const response = await withKey('/api/events', { events: [{ type: 'lead.created', summary: 'deep', meta: nested(3000) }] });
    expect400(response, 'events.0.meta');
    expect(await server.db.activity.count({ where: { summary: 'deep' } })).toBe(0);
  });

  it('a driver error for invalid text or a date out of range is a 400, not a 500 (whatever route it comes from)', async () => {
    const app = await buildApp({ config: { ...loadConfig({}), databaseUrl: server.databaseUrl, webRoot: '/nonexistent' }, prisma: server.db });
    // Probes outside the published API: hidden from the OpenAPI document.
    const probe = { schema: { hide: true } };
    app.get('/probe/text', probe, async () => server.db.$queryRaw`SELECT ${'a\u0000b'}::text AS t`);
    app.get('/probe/date', probe, async () => server.db.$queryRaw`SELECT ${'0000-01-01'}::timestamptz AS t`);
    app.get('/probe/json', probe, async () => server.db.$queryRaw`SELECT ${'"\\ud800"'}::jsonb AS t`);
    try {
      for (const url of ['/probe/text', '/probe/date', '/probe/json']) {
        const response = await app.inject({ method: 'GET', url });
        expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
        expect(response.json()).toMatchObject({ error: 'invalid_value' });
      }
    } finally {
      app.streamHub.closeStreams();
      await app.close();
    }
  });
});
