import SwaggerParser from '@apidevtools/swagger-parser';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiClient, startTestServer, type TestServer } from '../helper.ts';

let server: TestServer;
let document: { paths: Record<string, Record<string, any>> };

beforeAll(async () => {
  server = await startTestServer();
  const response = await apiClient(server.url).get('/docs/json');
  expect(response.status).toBe(200);
  document = response.body;
});
afterAll(() => server.close());

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const operations = () =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ path, method, operation })),
  );

/** The document is one string in memory: a validator that tried the network would be a defect here. */
function forbidNetwork() {
  return vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
    throw new Error(`the validator tried to fetch ${String(input)}`);
  });
}

describe('OpenAPI document (/docs/json)', () => {
  it('is valid OpenAPI 3 for swagger-parser', async () => {
    const noNetwork = forbidNetwork();
    try {
      // validate() dereferences in place: give it a copy.
      await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
      expect(noNetwork).not.toHaveBeenCalled();
    } finally {
      noNetwork.mockRestore();
    }
  });

  it("passes Redocly's recommended rules with no errors", async () => {
    const noNetwork = forbidNetwork();
    try {
      const config = await createConfig({ extends: ['recommended'] });
      const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config });
      const errors = problems
        .filter((problem) => problem.severity === 'error')
        .map((problem) => `${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer ?? '?'}`);
      expect(errors).toEqual([]);
      expect(noNetwork).not.toHaveBeenCalled();
    } finally {
      noNetwork.mockRestore();
    }
  });

  it('gives every operation a unique camelCase operationId', () => {
    const all = operations();
    expect(all.length).toBeGreaterThanOrEqual(46);
    const missing = all.filter(({ operation }) => typeof operation.operationId !== 'string').map(({ method, path }) => `${method} ${path}`);
    expect(missing).toEqual([]);
    const ids = all.map(({ operation }) => operation.operationId as string);
    expect(ids.filter((id) => !/^[a-z]+[A-Za-z0-9]*$/.test(id))).toEqual([]);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  });

  it('describes every API route with its parameters, success and error responses', () => {
    const expected: Record<string, string[]> = {
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
        const operation = document.paths[path]?.[method];
        expect(operation, `${method} ${path}`).toBeDefined();
        const codes = Object.keys(operation.responses);
        expect(codes.some((code) => code.startsWith('2')), `${method} ${path} declares success`).toBe(true);
        expect(codes.some((code) => code.startsWith('4')), `${method} ${path} declares errors`).toBe(true);
      }
    }
    const activityParams = document.paths['/api/admin/activity']!.get.parameters.map((p: any) => p.name);
    expect(activityParams).toEqual(expect.arrayContaining(['page', 'page_size', 'workspace_id', 'actor_user_id', 'type', 'cursor']));
    expect(document.paths['/api/events']!.post.parameters.map((parameter: any) => parameter.name)).toContain('idempotency-key');
  });
});
