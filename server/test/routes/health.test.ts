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

describe('errors', () => {
  it('answers unknown routes with a JSON 404', async () => {
    expect(await api.get('/api/nope')).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });
});
