import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startTestServer, type ApiClient, type TestServer } from '../helper.ts';

let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  const webRoot = await mkdtemp(path.join(tmpdir(), 'tn-web-'));
  await writeFile(path.join(webRoot, 'index.html'), '<!doctype html><title>Tray Notify</title>');
  await mkdir(path.join(webRoot, 'assets'));
  await writeFile(path.join(webRoot, 'assets', 'app.js'), 'console.log(1)');
  server = await startTestServer({ webRoot });
  api = apiClient(server.url);
});
afterAll(() => server.close());

describe('web app', () => {
  it('serves the built windows at / and their assets', async () => {
    const index = await api.get('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.body).toContain('<title>Tray Notify</title>');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    const asset = await api.get('/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
  });

  it('answers client-side routes with index.html, but unknown API paths with a JSON 404', async () => {
    const route = await api.get('/admin/activity');
    expect(route.status).toBe(200);
    expect(route.body).toContain('<title>Tray Notify</title>');
    const apiMiss = await api.get('/api/does-not-exist');
    expect(apiMiss.status).toBe(404);
    expect(apiMiss.body.error).toBe('not_found');
  });
});

describe('web app not built', () => {
  let bare: TestServer;
  let bareApi: ApiClient;
  beforeAll(async () => {
    bare = await startTestServer({ webRoot: await mkdtemp(path.join(tmpdir(), 'tn-web-empty-')) });
    bareApi = apiClient(bare.url);
  });
  afterAll(() => bare.close());

  it('answers / and client-side routes with a page saying how to build it, never a JSON 404', async () => {
    for (const url of ['/', '/settings']) {
      const page = await bareApi.get(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.body).toContain('npm run build -w desktop');
    }
  });

  it('still answers unknown API paths with a JSON 404 and keeps the API docs', async () => {
    const apiMiss = await bareApi.get('/api/does-not-exist');
    expect(apiMiss.status).toBe(404);
    expect(apiMiss.body.error).toBe('not_found');
    expect((await bareApi.get('/docs/json')).status).toBe(200);
  });
});
