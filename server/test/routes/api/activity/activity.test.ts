import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordActivity } from '../../../../src/services/activity/record-activity.ts';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';

let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};

/** 30 Acme entries one minute apart (newest = index 29) and 10 Globex ones. */
async function seedActivity() {
  const base = Date.now() - 3600_000;
  const types = ['lead.created', 'task.created', 'job.failed'] as const;
  for (let i = 0; i < 30; i++) {
    const type = types[i % 3]!;
    await recordActivity(server.db, {
      workspaceId: world.acme.id,
      actorUserId: i % 2 === 0 ? world.users.acmeAdmin.id : world.users.acmeMember.id,
      type,
      entity: { type: 'lead', id: `lead-${i % 5}` },
      summary: `acme ${i}`,
      severity: type === 'job.failed' ? 'critical' : 'info',
      meta: { n: i },
      createdAt: new Date(base + i * 60_000),
    });
  }
  for (let i = 0; i < 10; i++) {
    await recordActivity(server.db, {
      workspaceId: world.globex.id,
      actorUserId: world.users.globexAdmin.id,
      type: 'lead.created',
      summary: `globex ${i}`,
    });
  }
}

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
  world = await createWorld(server.db);
  await seedActivity();
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
});
afterAll(() => server.close());

describe('GET /api/activity', () => {
  it('lists the current workspace only, newest first, with names', async () => {
    const response = await api.get('/api/activity?page_size=100', tokens.acmeMember);
    expect(response.status).toBe(200);
    expect(response.body.items).toHaveLength(30);
    expect(response.body.items.every((item: any) => item.workspace_id === world.acme.id)).toBe(true);
    expect(response.body.items[0]).toMatchObject({
      summary: 'acme 29',
      type: 'job.failed',
      workspace_name: 'Acme',
      actor_user_id: world.users.acmeMember.id,
      actor_name: 'acme-member',
      entity_type: 'lead',
      entity_id: 'lead-4',
      severity: 'critical',
      meta: { n: 29 },
    });
    const globex = await api.get('/api/activity?page_size=100', tokens.globexMember);
    expect(globex.body.items.map((item: any) => item.summary).every((s: string) => s.startsWith('globex'))).toBe(true);
  });

  it('pages with page and page_size', async () => {
    const first = await api.get('/api/activity?page=1&page_size=10', tokens.acmeAdmin);
    const second = await api.get('/api/activity?page=2&page_size=10', tokens.acmeAdmin);
    expect(first.body).toMatchObject({ page: 1, page_size: 10 });
    expect(first.body.items.map((item: any) => item.summary)).toEqual(Array.from({ length: 10 }, (_, i) => `acme ${29 - i}`));
    expect(second.body.items.map((item: any) => item.summary)).toEqual(Array.from({ length: 10 }, (_, i) => `acme ${19 - i}`));
    const beyond = await api.get('/api/activity?page=9&page_size=10', tokens.acmeAdmin);
    expect(beyond.body.items).toEqual([]);
    expect(beyond.body.next_cursor).toBeNull();
  });

  it('keeps cursor pagination correct while new entries arrive', async () => {
    const first = await api.get('/api/activity?page_size=12', tokens.acmeAdmin);
    await recordActivity(server.db, { workspaceId: world.acme.id, actorUserId: null, type: 'job.created', summary: 'arrived meanwhile' });
    const seen: string[] = first.body.items.map((item: any) => item.summary);
    let cursor = first.body.next_cursor;
    while (cursor) {
      const next = await api.get(`/api/activity?page_size=12&cursor=${cursor}`, tokens.acmeAdmin);
      seen.push(...next.body.items.map((item: any) => item.summary));
      cursor = next.body.next_cursor;
    }
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => `acme ${29 - i}`));
    await server.db.activity.deleteMany({ where: { summary: 'arrived meanwhile' } });
  });

  it('filters by type, severity, entity and time range', async () => {
    const byType = await api.get('/api/activity?type=task.created&page_size=100', tokens.acmeAdmin);
    expect(byType.body.items).toHaveLength(10);
    expect(byType.body.items.every((item: any) => item.type === 'task.created')).toBe(true);

    const critical = await api.get('/api/activity?severity=critical&page_size=100', tokens.acmeAdmin);
    expect(critical.body.items.map((item: any) => item.type)).toEqual(Array(10).fill('job.failed'));

    const entity = await api.get('/api/activity?entity_type=lead&entity_id=lead-0&page_size=100', tokens.acmeAdmin);
    expect(entity.body.items.map((item: any) => item.summary)).toEqual(['acme 25', 'acme 20', 'acme 15', 'acme 10', 'acme 5', 'acme 0']);

    const newest = (await api.get('/api/activity?page_size=100', tokens.acmeAdmin)).body.items;
    const since = newest[4].created_at;
    const until = newest[1].created_at;
    const range = await api.get(`/api/activity?since=${since}&until=${until}`, tokens.acmeAdmin);
    expect(range.body.items.map((item: any) => item.summary)).toEqual(['acme 27', 'acme 26', 'acme 25']);
  });

  it('refuses bad parameters with 400 and a message naming the parameter', async () => {
    const cases: [string, string][] = [
      ['page_size=101', 'page_size'],
      ['page_size=0', 'page_size'],
      ['page=0', 'page'],
      ['page=abc', 'page'],
      ['type=lead.exploded', 'type'],
      ['severity=urgent', 'severity'],
      ['since=yesterday', 'since'],
      ['cursor=garbage', 'cursor'],
      ['workspace_id=' + '00000000-0000-0000-0000-000000000000', 'workspace_id'],
    ];
    for (const [query, field] of cases) {
      const response = await api.get(`/api/activity?${query}`, tokens.acmeAdmin);
      expect(response.status, query).toBe(400);
      expect(response.body.error, query).toBe('invalid_request');
      expect(response.body.message, query).toContain(field);
    }
  });

  it('refuses a page deeper than the offset limit with a 400 pointing to cursor; shallower pages still work', async () => {
    for (const path of ['/api/activity', '/api/admin/activity']) {
      const token = path.startsWith('/api/admin') ? tokens.superAdmin : tokens.acmeAdmin;
      // page × page_size at the limit: the last page `page` can reach, empty here but answered.
      const deepest = await api.get(`${path}?page=101&page_size=100`, token);
      expect(deepest.status, path).toBe(200);
      expect(deepest.body).toMatchObject({ items: [], page: 101, page_size: 100 });
      const tooDeep = await api.get(`${path}?page=102&page_size=100`, token);
      expect(tooDeep.status, path).toBe(400);
      expect(tooDeep.body.error).toBe('page_too_deep');
      expect(tooDeep.body.message).toContain('cursor');
      expect((await api.get(`${path}?page=2001&page_size=50`, token)).status, path).toBe(400);
      // With a cursor, `page` is ignored, so depth is never refused.
      const first = await api.get(`${path}?page_size=5`, token);
      const next = await api.get(`${path}?page=102&page_size=5&cursor=${first.body.next_cursor}`, token);
      expect(next.status, path).toBe(200);
      expect(next.body.items).toHaveLength(5);
    }
  });

  it('needs a token, and a workspace', async () => {
    expect((await api.get('/api/activity')).status).toBe(401);
    const superAdmin = await api.get('/api/activity', tokens.superAdmin);
    expect(superAdmin.status).toBe(403);
    // Plain words, not an API recipe: the message is shown to people.
    expect(superAdmin.body.message).toMatch(/^As a super admin you belong to no workspace/);
    expect(superAdmin.body.message).not.toContain('/api/');
  });
});

describe('GET /api/admin/activity', () => {
  it('is refused to everyone but super admins', async () => {
    for (const key of ['acmeAdmin', 'acmeMember', 'globexAdmin', 'globexMember', 'both']) {
      const response = await api.get('/api/admin/activity', tokens[key]);
      expect(response.status, key).toBe(403);
      expect(response.body.error).toBe('forbidden');
    }
    expect((await api.get('/api/admin/activity')).status).toBe(401);
    expect((await api.get('/api/admin/workspaces', tokens.acmeAdmin)).status).toBe(403);
    expect((await api.get('/api/admin/users', tokens.acmeAdmin)).status).toBe(403);
  });

  it('shows every workspace and filters by workspace, actor and type', async () => {
    const all = await api.get('/api/admin/activity?page_size=100', tokens.superAdmin);
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(40);
    expect(new Set(all.body.items.map((item: any) => item.workspace_name))).toEqual(new Set(['Acme', 'Globex']));

    const globex = await api.get(`/api/admin/activity?workspace_id=${world.globex.id}&page_size=100`, tokens.superAdmin);
    expect(globex.body.items).toHaveLength(10);

    const byActor = await api.get(`/api/admin/activity?actor_user_id=${world.users.acmeMember.id}&page_size=100`, tokens.superAdmin);
    expect(byActor.body.items).toHaveLength(15);
    expect(byActor.body.items.every((item: any) => item.actor_name === 'acme-member')).toBe(true);

    const combined = await api.get(
      `/api/admin/activity?workspace_id=${world.acme.id}&actor_user_id=${world.users.acmeAdmin.id}&type=lead.created&page_size=100`,
      tokens.superAdmin,
    );
    expect(combined.body.items.map((item: any) => item.summary)).toEqual(['acme 24', 'acme 18', 'acme 12', 'acme 6', 'acme 0']);

    const paged = await api.get('/api/admin/activity?page=4&page_size=12', tokens.superAdmin);
    expect(paged.body.items).toHaveLength(4);
  });

  it('lists workspaces and users for the filters', async () => {
    const workspaces = await api.get('/api/admin/workspaces', tokens.superAdmin);
    expect(workspaces.body.items).toEqual([
      { id: world.acme.id, name: 'Acme', member_count: 4 },
      { id: world.globex.id, name: 'Globex', member_count: 3 },
    ]);
    const users = await api.get(`/api/admin/users?workspace_id=${world.globex.id}`, tokens.superAdmin);
    expect(users.body.items.map((user: any) => user.name).sort()).toEqual(['both', 'globex-admin', 'globex-member']);
  });
});
