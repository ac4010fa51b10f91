import { afterAll, beforeAll, expect } from 'vitest';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../helper.ts';

/**
 * The world the flow tests share: a server on a fresh database, two workspaces' users logged
 * in, and small factories over the API. Each test file calls setUpFlowWorld() once; the
 * bindings below are filled in before its tests run.
 */
export let server: TestServer;
export let api: ApiClient;
export let world: World;
export const tokens: Record<string, string> = {};
export type UserKey = keyof World['users'];

export function setUpFlowWorld() {
  beforeAll(async () => {
    server = await startTestServer();
    api = apiClient(server.url);
    world = await createWorld(server.db);
    for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
  });
  afterAll(() => server.close());
}

export async function newLead(as: UserKey, body: Record<string, unknown> = {}) {
  const response = await api.post('/api/leads', { name: 'Maya Chen', email: 'maya@northwind.test', ...body }, tokens[as]);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; name: string; owner_user_id: string };
}

export async function newTask(as: UserKey, leadId: string, assignee: UserKey, title = 'Call back about pricing') {
  const response = await api.post(
    '/api/tasks',
    { lead_id: leadId, title, assignee_user_id: world.users[assignee].id },
    tokens[as],
  );
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string };
}

export const inbox = async (as: UserKey) => (await api.get('/api/notifications?limit=100', tokens[as])).body.items as any[];

export async function activityOf(entityId: string) {
  const response = await api.get(`/api/activity?entity_id=${entityId}&page_size=100`, tokens.acmeAdmin);
  return response.body.items as any[];
}
