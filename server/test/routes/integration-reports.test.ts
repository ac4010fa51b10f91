import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../helper.ts';

// What an integration reports through POST /api/events: the same consequences as the app's own
// reports, links that stay on their entity's path, and no say in the app's own audit detail.
const APP = 'https://app.example.test';
let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};
let acmeKey: string;

beforeAll(async () => {
  server = await startTestServer({ appBaseUrl: APP });
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
  acmeKey = (await api.post('/api/api-keys', { name: 'Warehouse sync' }, tokens.acmeAdmin)).body.key;
});
afterAll(() => server.close());

const report = (events: object[]) =>
  api.request('POST', '/api/events', { body: { events }, headers: { authorization: `Bearer ${acmeKey}` } });
const inbox = async (as: string) => (await api.get('/api/notifications?limit=100', tokens[as])).body.items as any[];

describe('failures reported by an integration', () => {
  it('notify the super admins, as the same failure reported through the API does', async () => {
    const sent = await report([
      { type: 'job.failed', entity_type: 'job', entity_id: 'nightly-sync-7', summary: 'Nightly sync failed: timeout' },
      { type: 'playbook.failed', entity_type: 'playbook_run', entity_id: 'run-9', summary: 'Outbound playbook failed', meta: { playbook: 'Outbound' } },
    ]);
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const [jobActivity, playbookActivity] = sent.body.activity_ids as string[];
    const critical = (await inbox('superAdmin')).filter((item) => sent.body.activity_ids.includes(item.meta.activity_id));
    expect(critical.map((item) => [item.meta.activity_id, item.meta.activity_type, item.title]).sort()).toEqual(
      [
        [jobActivity, 'job.failed', 'Nightly sync failed: timeout'],
        [playbookActivity, 'playbook.failed', 'Outbound playbook failed'],
      ].sort(),
    );
    // Still the admins' own notifications too, once each.
    expect((await inbox('acmeAdmin')).filter((item) => ['job_failed', 'playbook_failed'].includes(item.type))).toHaveLength(2);
  });
});
