import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { apiClient, createWorld, PASSWORD, startTestServer, type TestServer } from '../helper.ts';

// The production logger, capturing its lines: no ticket, token, key or password may reach it,
// however the client spells the query string.

let server: TestServer;
let app: App;
const lines: string[] = [];
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  const world = await createWorld(server.db);
  token = await apiClient(server.url).login(world.users.acmeMember.email);
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  app = await buildApp({
    config: { ...loadConfig({}), databaseUrl: server.databaseUrl, webRoot: '/nonexistent' },
    prisma: server.db,
    logger: createLogger('info', destination),
  });
});
afterAll(async () => {
  app.streamHub.closeStreams();
  app.server.closeAllConnections();
  await app.close();
  await server.close();
});

describe('what the log holds', () => {
  it('never a stream ticket, however the query spells it, nor tokens or passwords', async () => {
    const ticket = (await app.inject({ method: 'POST', url: '/api/notifications/stream-ticket', headers: { authorization: `Bearer ${token}` } })).json().ticket;
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    for (const url of [`/api/notifications/stream?%74icket=${ticket}`, `/api/notifications/stream?ticket=${ticket}`, `/api/notifications/stream?x=1&t%69cket=${ticket}`]) {
      // The first opens a stream (the ticket is single-use): hang up once the answer has begun.
      const response = await fetch(base + url, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
      await response?.body?.cancel();
    }
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nobody@test.example', password: PASSWORD } });
    await app.inject({ method: 'GET', url: `/api/notifications?token=${token}`, headers: { authorization: `Bearer ${token}` } });
    const log = lines.join('');
    expect(log).toContain('/api/notifications/stream');
    expect(log).not.toContain(ticket);
    expect(log).not.toContain(token);
    expect(log).not.toContain(PASSWORD);
  });
});
