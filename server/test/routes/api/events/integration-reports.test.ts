import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';

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

describe('links built from reported ids', () => {
  const hostile = '../../account/delete?confirm=yes#';
  /** Where a browser goes when it follows the link. */
  const landing = (target: string) => new URL(target, APP);

  it('keep the id inside its entity path, in notifications of every audience and in the feed', async () => {
    const sent = await report([{ type: 'job.failed', entity_type: 'job', entity_id: hostile, summary: 'Export failed' }]);
    expect(sent.status).toBe(201);
    const targets = [
      ...(await inbox('acmeAdmin')).filter((item) => item.meta.job_id === hostile),
      ...(await inbox('superAdmin')).filter((item) => item.meta.job_id === hostile),
    ].map((item) => item.target_url as string);
    expect(targets).toHaveLength(2);
    for (const target of targets) {
      const url = landing(target);
      expect(url.origin).toBe(APP);
      expect(url.pathname).toBe('/jobs/..%2F..%2Faccount%2Fdelete%3Fconfirm%3Dyes%23');
      expect(url.search).toBe('');
      expect(decodeURIComponent(url.pathname.split('/')[2]!)).toBe(hostile);
    }
    const feed = await api.get(`/api/activity?entity_id=${encodeURIComponent(hostile)}`, tokens.acmeAdmin);
    expect(feed.body.items).toHaveLength(1);
    expect(landing(feed.body.items[0].target_url).pathname).toBe('/jobs/..%2F..%2Faccount%2Fdelete%3Fconfirm%3Dyes%23');
  });

  it("keep a task's lead id inside /leads, and give no link for an id that is a dot segment", async () => {
    const sent = await report([
      { type: 'task.created', entity_type: 'task', entity_id: 'task-1', summary: 'Task moved', meta: { lead_id: hostile } },
      { type: 'job.failed', entity_type: 'job', entity_id: '..', summary: 'Parent job failed' },
      { type: 'lead.updated', entity_type: 'lead', entity_id: '.', summary: 'Lead touched' },
    ]);
    expect(sent.status).toBe(201);
    const feed = (await api.get('/api/activity?page_size=100', tokens.acmeAdmin)).body.items as any[];
    const taskEntry = feed.find((entry) => entry.entity_id === 'task-1');
    expect(landing(taskEntry.target_url).pathname).toBe('/leads/..%2F..%2Faccount%2Fdelete%3Fconfirm%3Dyes%23');
    expect(landing(taskEntry.target_url).search).toBe('?tab=tasks');
    expect(feed.find((entry) => entry.entity_id === '..').target_url).toBeNull();
    expect(feed.find((entry) => entry.entity_id === '.').target_url).toBeNull();
    const parentJob = (await inbox('acmeAdmin')).find((item) => item.meta.job_id === '..');
    expect(parentJob.target_url).toBeNull();
  });
});

describe("an integration's meta", () => {
  it('cannot pass for changes made in the app: meta.changes is refused and nothing is recorded', async () => {
    const before = await server.db.activity.count();
    const sent = await report([
      { type: 'lead.updated', entity_type: 'lead', entity_id: 'lead-1', summary: 'Lead updated', meta: { changes: { owner: { from: 'Ann', to: 'Mallory' } } } },
    ]);
    expect(sent.status).toBe(400);
    expect(sent.body.message).toMatch(/meta\.changes/);
    expect(await server.db.activity.count()).toBe(before);
  });

  it('stored before the refusal, reported changes are not shown as changes made in the app', async () => {
    await server.db.activity.create({
      data: {
        workspaceId: world.acme.id,
        type: 'lead.updated',
        entityType: 'lead',
        entityId: 'legacy-lead',
        summary: 'Reported long ago',
        meta: { changes: { owner: { from: 'Ann', to: 'Mallory' } }, source: 'integration' },
      },
    });
    const feed = await api.get('/api/activity?entity_id=legacy-lead', tokens.acmeAdmin);
    expect(feed.body.items).toHaveLength(1);
    expect(feed.body.items[0].changes).toEqual([]);
    expect(feed.body.items[0].meta.source).toBe('integration');
  });
});
