import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startTestServer, type ApiClient, type TestServer } from '../helper.ts';

let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
});
afterAll(() => server.close());

describe('health', () => {
  it('reports the process up and the database ready', async () => {
    expect(await api.get('/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await api.get('/readyz')).toMatchObject({ status: 200, body: { status: 'ready' } });
  });
});

describe('OpenAPI document', () => {
  it('describes every API route with its parameters and responses', async () => {
    const response = await api.get('/docs/json');
    expect(response.status).toBe(200);
    const paths = response.body.paths as Record<string, Record<string, any>>;
    const expected = {
      '/api/auth/login': ['post'],
      '/api/auth/logout': ['post'],
      '/api/me': ['get'],
      '/api/me/current-workspace': ['put'],
      '/api/activity': ['get'],
      '/api/admin/activity': ['get'],
      '/api/notifications': ['get'],
      '/api/notifications/unread-count': ['get'],
      '/api/notifications/{id}': ['patch'],
      '/api/notifications/mark-all-read': ['post'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      for (const method of methods) {
        const operation = paths[path]?.[method];
        expect(operation, `${method} ${path}`).toBeDefined();
        expect(Object.keys(operation.responses).some((code) => code.startsWith('2')), `${method} ${path} declares success`).toBe(true);
        expect(Object.keys(operation.responses).some((code) => code.startsWith('4')), `${method} ${path} declares errors`).toBe(true);
      }
    }
    const activityParams = paths['/api/admin/activity']!.get.parameters.map((p: any) => p.name);
    expect(activityParams).toEqual(expect.arrayContaining(['page', 'page_size', 'workspace_id', 'actor_user_id', 'type', 'cursor']));
  });
});

describe('errors', () => {
  it('answers unknown routes with a JSON 404', async () => {
    expect(await api.get('/api/nope')).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });
});
