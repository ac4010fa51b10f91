import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startTestServer, type TestServer } from '../helper.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('OpenAPI document: the flows, integrations and preferences', () => {
  it('lists every new route with its success and error responses', async () => {
    const paths = (await apiClient(server.url).get('/docs/json')).body.paths as Record<string, Record<string, any>>;
    const expected: Record<string, string[]> = {
      '/api/leads': ['post'],
      '/api/leads/{id}': ['get', 'patch'],
      '/api/leads/{id}/email/found': ['post'],
      '/api/leads/{id}/email/verified': ['post'],
      '/api/lead-lists': ['get', 'post'],
      '/api/lead-lists/{id}/leads': ['post'],
      '/api/tasks': ['post'],
      '/api/tasks/{id}/complete': ['post'],
      '/api/campaigns': ['post'],
      '/api/campaigns/{id}/send': ['post'],
      '/api/campaigns/{id}/outcomes': ['post'],
      '/api/jobs': ['post'],
      '/api/jobs/{id}/complete': ['post'],
      '/api/jobs/{id}/fail': ['post'],
      '/api/playbook-runs': ['post'],
      '/api/playbook-runs/{id}/complete': ['post'],
      '/api/playbook-runs/{id}/fail': ['post'],
      '/api/inbound/replies': ['post'],
      '/api/events': ['post'],
      '/api/api-keys': ['get', 'post'],
      '/api/api-keys/{id}': ['delete'],
      '/api/notification-preferences': ['get', 'put'],
      '/api/workspace/members': ['get'],
      '/api/workspace/members/{user_id}': ['patch', 'delete'],
      '/api/admin/critical-events': ['get'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      for (const method of methods) {
        const operation = paths[path]?.[method];
        expect(operation, `${method} ${path}`).toBeDefined();
        const codes = Object.keys(operation.responses);
        expect(codes.some((code) => code.startsWith('2')), `${method} ${path} declares success`).toBe(true);
        expect(codes.some((code) => code.startsWith('4')), `${method} ${path} declares errors`).toBe(true);
      }
    }
    expect(paths['/api/events']!.post.parameters.map((parameter: any) => parameter.name)).toContain('idempotency-key');
  });
});
