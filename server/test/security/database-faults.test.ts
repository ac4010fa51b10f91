import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgConfigFromUrl } from '../../src/db/connection.ts';
import { apiClient, createTestDatabase, createWorld, startTestServer, type ApiClient, type TestServer } from '../helper.ts';

/**
 * A TCP proxy between the server and PostgreSQL that the test can freeze (bytes stop flowing,
 * connections stay open) or cut (every connection reset, new ones refused), then restore.
 */
class FaultyProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  private mode: 'ok' | 'frozen' | 'down' = 'ok';
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      if (this.mode === 'down') return client.destroy();
      const upstream = net.connect(target.port, target.host);
      const pair: [net.Socket, net.Socket] = [client, upstream];
      this.pairs.add(pair);
      const forward = (from: net.Socket, to: net.Socket) =>
        from.on('data', (chunk) => {
          if (this.mode === 'ok') to.write(chunk);
        });
      forward(client, upstream);
      forward(upstream, client);
      const close = () => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
    });
  }

  listen() {
    return new Promise<void>((resolve) =>
      this.server.listen(0, '127.0.0.1', () => {
        this.port = (this.server.address() as net.AddressInfo).port;
        resolve();
      }),
    );
  }

  set(mode: 'ok' | 'frozen' | 'down') {
    this.mode = mode;
    if (mode !== 'ok') {
      // Frozen: whatever was in flight is lost, as with a hung database; down: connections reset.
      for (const [client, upstream] of this.pairs) if (mode === 'down') (client.destroy(), upstream.destroy());
    }
  }

  close() {
    for (const [client, upstream] of this.pairs) (client.destroy(), upstream.destroy());
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let proxy: FaultyProxy;
let server: TestServer;
let api: ApiClient;
let token: string;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  const config = pgConfigFromUrl(databaseUrl);
  proxy = new FaultyProxy({ host: String(config.host), port: Number(config.port) });
  await proxy.listen();
  const viaProxy = new URL(databaseUrl);
  viaProxy.port = String(proxy.port);
  server = await startTestServer({}, { databaseUrl: viaProxy.toString(), databaseTimeouts: true });
  api = apiClient(server.url);
  const world = await createWorld(server.db);
  token = await api.login(world.users.acmeMember.email);
});
afterAll(async () => {
  proxy.set('ok');
  await server.close();
  await proxy.close();
});

async function timed<T>(work: () => Promise<T>) {
  const started = Date.now();
  const result = await work();
  return { result, ms: Date.now() - started };
}

describe('when the database fails', () => {
  for (const mode of ['down', 'frozen'] as const) {
    it(`${mode}: requests fail within 5 s with 503 + Retry-After, /readyz says so, and it recovers by itself`, { timeout: 60_000 }, async () => {
      expect((await api.get('/api/notifications', token)).status).toBe(200);
      proxy.set(mode);
      const [read, write, ready] = await Promise.all([
        timed(() => api.get('/api/notifications', token)),
        timed(() => api.post('/api/leads', { name: 'During the outage' }, token)),
        timed(() => api.get('/readyz')),
      ]);
      for (const { result, ms } of [read, write]) {
        expect(ms).toBeLessThan(5_000);
        expect(result.status).toBe(503);
        expect(Number(result.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(result.body).toMatchObject({ error: 'database_unavailable', message: expect.any(String) });
      }
      expect(ready.ms).toBeLessThan(5_000);
      expect(ready.result.status).toBe(503);

      proxy.set('ok');
      const deadline = Date.now() + 20_000;
      let status = 0;
      while (Date.now() < deadline && status !== 200) {
        status = (await api.get('/api/notifications', token)).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(status).toBe(200);
      expect((await api.get('/readyz')).status).toBe(200);
    });
  }
});
