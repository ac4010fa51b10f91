import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dbPlugin from '../../src/plugins/app/db.ts';
import housekeeping from '../../src/plugins/app/housekeeping.ts';
import { createWorld, startTestServer, type TestServer, type World } from '../helper.ts';

let server: TestServer;
let world: World;
const DAY = 24 * 3600 * 1000;
const ago = (ms: number) => new Date(Date.now() - ms);

beforeAll(async () => {
  server = await startTestServer();
  world = await createWorld(server.db);
});
afterAll(() => server.close());

describe('housekeeping', () => {
  it('prunes on schedule both the bookkeeping tables and the stream log past its retention', async () => {
    const userId = world.users.acmeMember.id;
    await server.db.streamEvent.createMany({
      data: [
        { userId, seq: 1_000_001n, type: 'notification.created', data: {}, createdAt: ago(8 * DAY) },
        { userId, seq: 1_000_002n, type: 'notification.created', data: {}, createdAt: ago(DAY) },
      ],
    });
    await server.db.loginAttempt.create({ data: { email: 'x@acme.test', ip: '127.0.0.1', succeeded: false, createdAt: ago(31 * DAY) } });

    const app = Fastify();
    await app.register(dbPlugin, { prisma: server.db });
    await app.register(housekeeping, { everyMs: 50, streamRetentionMs: 7 * DAY });
    await app.ready();
    try {
      const deadline = Date.now() + 10_000;
      while ((await server.db.streamEvent.count({ where: { seq: 1_000_001n } })) > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await app.close();
    }
    const left = await server.db.streamEvent.findMany({ where: { userId, seq: { gte: 1_000_001n } }, select: { seq: true } });
    expect(left).toEqual([{ seq: 1_000_002n }]);
    expect(await server.db.loginAttempt.count({ where: { email: 'x@acme.test' } })).toBe(0);
  });
});
