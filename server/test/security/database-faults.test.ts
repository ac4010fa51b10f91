import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { pgConfigFromUrl } from '../../src/db/connection.ts';
import { apiClient, bulkLoad, createTestDatabase, createWorld, startTestServer, type ApiClient, type TestServer } from '../helper.ts';

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
let acmeId: string;
let directUrl: string;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  directUrl = databaseUrl;
  const config = pgConfigFromUrl(databaseUrl);
  proxy = new FaultyProxy({ host: String(config.host), port: Number(config.port) });
  await proxy.listen();
  const viaProxy = new URL(databaseUrl);
  viaProxy.port = String(proxy.port);
  // Four exports at once from one user (the bulk pool's size): their fair share must let them all run.
  const heavyReads = { ...loadConfig({}).heavyReads, perUser: 4, perWorkspace: 4, total: 4 };
  server = await startTestServer({ heavyReads }, { databaseUrl: viaProxy.toString(), databaseTimeouts: true });
  api = apiClient(server.url);
  const world = await createWorld(server.db);
  token = await api.login(world.users.acmeMember.email);
  acmeId = world.acme.id;
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

describe('when the database hangs during an export', () => {
  const ROWS = 30_000;
  const exportAll = async () => {
    const response = await fetch(`${server.url}/api/activity/export?format=ndjson`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, lines: (await response.text()).split('\n').filter(Boolean).length };
  };

  it('ends the download within seconds, incomplete, and exports work again once it answers', { timeout: 60_000 }, async () => {
    await bulkLoad(
      directUrl,
      `INSERT INTO activities (workspace_id, type, summary, created_at)
       SELECT $1::uuid, 'lead.created', 'Lead ' || g, now() - (g || ' seconds')::interval FROM generate_series(1, ${ROWS}) g`,
      [acmeId],
    );
    const response = await fetch(`${server.url}/api/activity/export?format=ndjson`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let received = (await reader.read()).value!.byteLength;
    proxy.set('frozen');
    const frozenAt = Date.now();
    // More than the socket buffers hold is still to come: the export must ask the database again.
    const outcome = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return 'complete';
        received += value.byteLength;
      }
    })().catch((error: Error) => error.message);
    const ms = Date.now() - frozenAt;
    proxy.set('ok');
    expect(outcome).toBe('terminated');
    expect(ms).toBeLessThan(10_000);
    expect(received).toBeGreaterThan(0);

    // The hung connections were closed, not left in the pool: as many exports as it holds, at once.
    const exports = await Promise.all(Array.from({ length: 4 }, exportAll));
    for (const result of exports) expect(result).toEqual({ status: 200, lines: exports[0]!.lines });
    expect(exports[0]!.lines).toBeGreaterThanOrEqual(ROWS);
  });
});
