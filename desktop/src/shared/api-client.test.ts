import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient } from './api-client.ts';

describe('ApiClient', () => {
  let server: http.Server;
  let base: string;
  const seen: Array<{ url: string; auth: string | undefined }> = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization });
      if (req.url?.startsWith('/api/auth/login')) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '30' });
        return res.end(JSON.stringify({ error: 'too_many_attempts', message: 'Too many attempts; try again in 30 s.' }));
      }
      if (req.url?.startsWith('/api/me')) {
        res.writeHead(401, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: 'unauthorized', message: 'Log in.' }));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items: [], next_cursor: null }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it.each([
    ['Node http adapter', undefined],
    ['fetch adapter (what the main process uses with net.fetch)', { fetch: globalThis.fetch }],
  ])('sends the bearer token and only the filters that are set (%s)', async (_name, fetchEnv) => {
    const api = new ApiClient({ baseUrl: `${base}/`, getToken: () => 'tok', fetchEnv });
    await api.listActivity({ type: 'job.failed', cursor: undefined, page_size: 30 });
    expect(seen.at(-1)).toEqual({ url: '/api/activity?type=job.failed&page_size=30', auth: 'Bearer tok' });
  });

  it('turns error bodies into coded errors with Retry-After, and reports 401 from authenticated calls', async () => {
    const onUnauthorized = vi.fn();
    const api = new ApiClient({ baseUrl: base, getToken: () => 'tok', onUnauthorized });
    await expect(api.login('a@b.test', 'x')).rejects.toMatchObject({ status: 429, code: 'too_many_attempts', retryAfterSeconds: 30 });
    expect(onUnauthorized).not.toHaveBeenCalled();
    await expect(api.me()).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('reports an unreachable server as a network error', async () => {
    const api = new ApiClient({ baseUrl: 'http://127.0.0.1:9', getToken: () => null });
    await expect(api.unreadCount()).rejects.toMatchObject({ status: 0, code: 'network_error', isNetwork: true });
  });
});
