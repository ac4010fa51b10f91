import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/lib/passwords.ts';
import { apiClient, createWorld, PASSWORD, startTestServer, type ApiClient, type TestServer, type World } from '../helper.ts';

// Finishing a job or playbook run writes a (possibly critical) event and tells every admin:
// only the member who started it, or an admin, may report how it ended.

let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
  world = await createWorld(server.db);
  const other = await server.db.user.create({
    data: { email: `other-member-${world.acme.id}@test.example`, name: 'other-member', passwordHash: await hashPassword(PASSWORD) },
  });
  await server.db.membership.create({ data: { workspaceId: world.acme.id, userId: other.id, role: 'member' } });
  tokens.otherMember = await api.login(other.email);
  tokens.starter = await api.login(world.users.acmeMember.email);
  tokens.admin = await api.login(world.users.acmeAdmin.email);
});
afterAll(() => server.close());

const start = {
  job: async () => (await api.post('/api/jobs', { kind: 'csv_import' }, tokens.starter)).body.id as string,
  run: async () => (await api.post('/api/playbook-runs', { playbook_name: 'Enrich' }, tokens.starter)).body.id as string,
};
const finish = {
  job: { fail: (id: string, as: string) => api.post(`/api/jobs/${id}/fail`, { error: 'boom' }, tokens[as]), complete: (id: string, as: string) => api.post(`/api/jobs/${id}/complete`, {}, tokens[as]) },
  run: {
    fail: (id: string, as: string) => api.post(`/api/playbook-runs/${id}/fail`, { error: 'boom' }, tokens[as]),
    complete: (id: string, as: string) => api.post(`/api/playbook-runs/${id}/complete`, { leads_added: 1 }, tokens[as]),
  },
};

describe('finishing a job or playbook run', () => {
  for (const kind of ['job', 'run'] as const) {
    for (const outcome of ['fail', 'complete'] as const) {
      it(`${kind} ${outcome}: another member gets 403 and nothing is written; the starter and an admin may`, async () => {
        const id = await start[kind]();
        const before = await Promise.all([server.db.activity.count(), server.db.notification.count()]);
        const refused = await finish[kind][outcome](id, 'otherMember');
        expect(refused.status, JSON.stringify(refused.body)).toBe(403);
        expect(refused.body.error).toBe('forbidden');
        expect(await Promise.all([server.db.activity.count(), server.db.notification.count()])).toEqual(before);
        expect((await finish[kind][outcome](id, 'starter')).status).toBe(200);

        const another = await start[kind]();
        expect((await finish[kind][outcome](another, 'admin')).status).toBe(200);
      });
    }
  }
});
