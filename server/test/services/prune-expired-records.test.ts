import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/lib/tokens.ts';
import { pruneExpiredRecords } from '../../src/services/housekeeping/prune-expired-records.ts';
import { apiClient, createWorld, startTestServer, type TestServer, type World } from '../helper.ts';

let server: TestServer;
let world: World;
const DAY = 24 * 3600 * 1000;
const ago = (ms: number) => new Date(Date.now() - ms);

beforeAll(async () => {
  server = await startTestServer();
  world = await createWorld(server.db);
});
afterAll(() => server.close());

describe('pruneExpiredRecords', () => {
  it('deletes old bookkeeping rows and keeps what is still useful', async () => {
    const user = world.users.acmeMember;
    const session = (name: string, expiresAt: Date, revokedAt: Date | null = null) =>
      server.db.session.create({ data: { userId: user.id, tokenHash: hashToken(name), expiresAt, revokedAt } });
    await session('expired-long-ago', ago(31 * DAY));
    await session('revoked-long-ago', new Date(Date.now() + DAY), ago(31 * DAY));
    await session('expired-recently', ago(DAY));
    const live = await apiClient(server.url).login(user.email);

    await server.db.loginAttempt.createMany({
      data: [
        { email: user.email, ip: '127.0.0.1', succeeded: false, createdAt: ago(31 * DAY) },
        { email: user.email, ip: '127.0.0.1', succeeded: false, createdAt: ago(DAY) },
      ],
    });
    await server.db.idempotencyKey.createMany({
      data: [
        { workspaceId: world.acme.id, key: 'old', requestHash: 'x', createdAt: ago(2 * DAY) },
        { workspaceId: world.acme.id, key: 'fresh', requestHash: 'y', createdAt: ago(3600_000) },
      ],
    });

    await server.db.embedSignatureUse.createMany({
      data: [
        { signatureHash: 'past', expiresAt: ago(1000) },
        { signatureHash: 'still-acceptable', expiresAt: new Date(Date.now() + 60_000) },
      ],
    });

    expect(await pruneExpiredRecords(server.db)).toEqual({ idempotencyKeys: 1, loginAttempts: 1, sessions: 2, embedSignatureUses: 1 });
    expect((await server.db.embedSignatureUse.findMany()).map((row) => row.signatureHash)).toEqual(['still-acceptable']);
    expect((await server.db.idempotencyKey.findMany()).map((row) => row.key)).toEqual(['fresh']);
    expect(await server.db.loginAttempt.count({ where: { createdAt: { lt: ago(30 * DAY) } } })).toBe(0);
    expect(await server.db.session.count({ where: { tokenHash: hashToken('expired-recently') } })).toBe(1);
    // The live session still works.
    expect((await apiClient(server.url).get('/api/me', live)).status).toBe(200);
    expect(await pruneExpiredRecords(server.db)).toEqual({ idempotencyKeys: 0, loginAttempts: 0, sessions: 0, embedSignatureUses: 0 });
  });
});
