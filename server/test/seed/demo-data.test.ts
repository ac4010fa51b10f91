import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIVITY_TYPES } from '../../src/domain/types.ts';
import { DEMO_PASSWORD, DEMO_USERS, seedDemoData } from '../../src/seed/demo-data.ts';
import { apiClient, startTestServer, type ApiClient, type TestServer } from '../helper.ts';

let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
  expect(await seedDemoData(server.db)).toBe(true);
});
afterAll(() => server.close());

describe('demo data', () => {
  it('lets every documented demo user log in with the documented password', async () => {
    for (const user of DEMO_USERS) {
      const response = await api.post('/api/auth/login', { email: user.email, password: DEMO_PASSWORD });
      expect(response.status, user.email).toBe(200);
      expect(response.body.user.is_super_admin, user.email).toBe(user.superAdmin);
    }
  });

  it('has a month of activity of every type in both workspaces', async () => {
    const superToken = await api.login('super@demo.test', DEMO_PASSWORD);
    const workspaces = (await api.get('/api/admin/workspaces', superToken)).body.items;
    expect(workspaces.map((w: any) => w.name)).toEqual(['Acme Sales', 'Globex Outbound']);
    for (const workspace of workspaces) {
      const types = await server.db.activity.groupBy({ by: ['type'], where: { workspaceId: workspace.id }, _count: true });
      const notSeeded = ['member.removed', 'api_key.revoked', 'embed_secret.rotated', 'alert_rule.created', 'alert_rule.updated', 'alert_rule.deleted', 'alert_rule.triggered', 'workspace.retention_changed', 'activity.pruned', 'audit_stream.created', 'audit_stream.updated', 'audit_stream.paused', 'audit_stream.resumed', 'audit_stream.replayed', 'audit_stream.deleted', 'notification.claimed', 'notification.released', 'notification.escalated', 'workspace.notification_defaults_changed', 'workspace.escalations_changed', 'workspace.legal_hold_placed', 'workspace.legal_hold_lifted'];
      expect(types.map((t) => t.type).sort()).toEqual([...ACTIVITY_TYPES].filter((type) => !notSeeded.includes(type)).sort());
      expect(types.reduce((sum, t) => sum + t._count, 0)).toBeGreaterThanOrEqual(300);
    }
    const oldest = await server.db.activity.findFirstOrThrow({ orderBy: { createdAt: 'asc' } });
    expect(Date.now() - oldest.createdAt.getTime()).toBeGreaterThan(25 * 24 * 3600 * 1000);
  });

  it('gives admins personal and workspace-level notifications, some read', async () => {
    const token = await api.login('admin@acme.test', DEMO_PASSWORD);
    const items = (await api.get('/api/notifications?limit=100', token)).body.items;
    expect(items.some((n: any) => n.user_id === null)).toBe(true);
    expect(items.some((n: any) => n.user_id !== null)).toBe(true);
    expect(items.some((n: any) => n.read_at !== null)).toBe(true);
    expect((await api.get('/api/notifications/unread-count', token)).body.count).toBeGreaterThan(0);
  });

  it('is seeded once: a second run changes nothing', async () => {
    const before = await server.db.activity.count();
    expect(await seedDemoData(server.db)).toBe(false);
    expect(await server.db.activity.count()).toBe(before);
  });
});
