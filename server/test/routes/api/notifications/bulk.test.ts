import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotification } from '../../../../src/services/notifications/create-notification.ts';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';

let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};

const personal = async (userKey: keyof World['users'], workspaceId: string, title: string, type = 'task_assigned') =>
  (await createNotification(server.db, { workspaceId, userId: world.users[userKey].id, type, title })).notification.id;

/** Many personal notifications at once, in SQL (the receipts' triggers keep the counters as for any insert). */
async function many(userKey: keyof World['users'], workspaceId: string, n: number, prefix: string) {
  const userId = world.users[userKey].id;
  await server.db.$executeRaw`
    WITH made AS (
      INSERT INTO notifications (workspace_id, user_id, type, title, created_at)
      SELECT ${workspaceId}::uuid, ${userId}::uuid, 'task_assigned', ${prefix} || ' ' || i, now() - i * interval '1 second'
        FROM generate_series(1, ${n}::int) i
      RETURNING id, workspace_id, user_id, created_at)
    INSERT INTO notification_receipts (notification_id, user_id, workspace_id, created_at)
    SELECT id, user_id, workspace_id, created_at FROM made`;
}

/** The caller's receipts as the database has them, by notification id. */
async function receipts(userKey: keyof World['users']) {
  const rows = await server.db.notificationReceipt.findMany({
    where: { userId: world.users[userKey].id },
    select: { notificationId: true, readAt: true, archivedAt: true, seenAt: true, snoozedUntil: true },
  });
  return new Map(rows.map((row) => [row.notificationId, row]));
}

/** What the badge must say, counted row by row. */
async function counted(userKey: keyof World['users']) {
  const [row] = await server.db.$queryRaw<{ unread: number; unseen: number }[]>`
    SELECT count(*) FILTER (WHERE read_at IS NULL)::int AS unread, count(*) FILTER (WHERE seen_at IS NULL)::int AS unseen
      FROM notification_receipts
     WHERE user_id = ${world.users[userKey].id}::uuid AND archived_at IS NULL AND (snoozed_until IS NULL OR snoozed_until <= now())`;
  return { count: row!.unread, unseen: row!.unseen };
}

async function expectCountsExact(userKey: keyof World['users']) {
  const response = await api.get('/api/notifications/unread-count', tokens[userKey]);
  expect(response.body, userKey).toMatchObject(await counted(userKey));
}

const bulk = (userKey: keyof World['users'], body: unknown) => api.post('/api/notifications/bulk', body, tokens[userKey]);
const undo = (userKey: keyof World['users'], undo_token: string) => api.post('/api/notifications/bulk/undo', { undo_token }, tokens[userKey]);

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
});
afterAll(() => server.close());

describe('POST /api/notifications/bulk', () => {
  it('archives the listed entries in one request and answers how many changed with an undo token', async () => {
    const ids = [await personal('acmeMember', world.acme.id, 'a'), await personal('acmeMember', world.acme.id, 'b')];
    const kept = await personal('acmeMember', world.acme.id, 'kept');
    const response = await bulk('acmeMember', { action: 'archive', ids });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ updated: 2, undo_token: expect.any(String) });
    const listed = await api.get('/api/notifications', tokens.acmeMember);
    expect(listed.body.items.map((n: { id: string }) => n.id)).toEqual([kept]);
    await expectCountsExact('acmeMember');
    // Again: nothing changes, so there is nothing to undo.
    expect((await bulk('acmeMember', { action: 'archive', ids })).body).toEqual({ updated: 0, undo_token: null });
  });

  it('touches nothing of another user or workspace, and does not say whether such ids exist', async () => {
    const mine = await personal('both', world.acme.id, 'mine');
    const theirs = await personal('globexMember', world.globex.id, 'theirs');
    const acmeAdmins = await personal('acmeAdmin', world.acme.id, 'acme admin’s');
    const before = await receipts('globexMember');
    const withForeign = await bulk('both', { action: 'read', ids: [mine, theirs, acmeAdmins] });
    expect(withForeign.body.updated).toBe(1);
    // A foreign id answers exactly like an id that does not exist at all.
    const unknown = await bulk('both', { action: 'read', ids: [crypto.randomUUID()] });
    const foreignOnly = await bulk('both', { action: 'read', ids: [theirs] });
    expect(foreignOnly.status).toBe(unknown.status);
    expect(foreignOnly.body).toEqual(unknown.body);
    expect(await receipts('globexMember')).toEqual(before);
    expect((await receipts('acmeAdmin')).get(acmeAdmins)?.readAt).toBeNull();
  });

  it('changes everything a list filter matches, however many, in one request (the list’s own filter)', async () => {
    await many('acmeAdmin2', world.acme.id, 1500, 'flood');
    const job = await personal('acmeAdmin2', world.acme.id, 'a job', 'job_failed');
    const response = await bulk('acmeAdmin2', { action: 'archive', filter: { type: 'task_assigned' } });
    expect(response.body.updated).toBe(1500);
    const left = await api.get('/api/notifications?limit=100', tokens.acmeAdmin2);
    expect(left.body.items.map((n: { id: string }) => n.id)).toEqual([job]);
    await expectCountsExact('acmeAdmin2');
    // The whole filtered set comes back with one undo.
    expect((await undo('acmeAdmin2', response.body.undo_token)).body).toEqual({ restored: 1500 });
    expect((await api.get('/api/notifications/unread-count', tokens.acmeAdmin2)).body.count).toBe(1501);
    await expectCountsExact('acmeAdmin2');
  });

  it('reads, unreads, marks seen, snoozes and unarchives, each like the single update', async () => {
    const id = await personal('globexAdmin', world.globex.id, 'cycle');
    const state = async () => (await receipts('globexAdmin')).get(id)!;
    expect((await bulk('globexAdmin', { action: 'read', ids: [id] })).body.updated).toBe(1);
    expect(await state()).toMatchObject({ readAt: expect.any(Date), seenAt: expect.any(Date) });
    expect((await bulk('globexAdmin', { action: 'unread', ids: [id] })).body.updated).toBe(1);
    expect(await state()).toMatchObject({ readAt: null, seenAt: expect.any(Date) });
    const until = new Date(Date.now() + 3600_000).toISOString();
    expect((await bulk('globexAdmin', { action: 'snooze', until, ids: [id] })).body.updated).toBe(1);
    expect((await state()).snoozedUntil?.toISOString()).toBe(until);
    expect((await bulk('globexAdmin', { action: 'archive', ids: [id] })).body.updated).toBe(1);
    expect(await state()).toMatchObject({ archivedAt: expect.any(Date), snoozedUntil: null });
    // An archived entry is not snoozed.
    expect((await bulk('globexAdmin', { action: 'snooze', until, ids: [id] })).body.updated).toBe(0);
    expect((await bulk('globexAdmin', { action: 'unarchive', filter: { archived: true } })).body.updated).toBe(1);
    const seen = await personal('globexAdmin', world.globex.id, 'unseen');
    expect((await bulk('globexAdmin', { action: 'seen', ids: [seen] })).body.updated).toBe(1);
    expect((await state()).archivedAt).toBeNull();
    await expectCountsExact('globexAdmin');
  });

  it('refuses bad input with a clear 400 and changes nothing', async () => {
    const id = await personal('globexMember', world.globex.id, 'untouched');
    const before = await receipts('globexMember');
    const tooMany = Array.from({ length: 1001 }, () => crypto.randomUUID());
    const cases: unknown[] = [
      { action: 'archive', ids: [...tooMany.slice(0, 1000), id] },
      { action: 'archive', ids: [id], filter: {} },
      { action: 'archive' },
      { action: 'explode', ids: [id] },
      { action: 'archive', ids: [] },
      { action: 'archive', ids: ['not-a-uuid'] },
      { action: 'snooze', ids: [id] },
      { action: 'snooze', ids: [id], until: new Date(Date.now() - 1000).toISOString() },
      { action: 'read', ids: [id], until: new Date(Date.now() + 1000).toISOString() },
      { action: 'read', filter: { colour: 'red' } },
      { action: 'read', filter: { type: 'DROP TABLE' } },
    ];
    for (const body of cases) {
      const response = await bulk('globexMember', body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(typeof response.body.message).toBe('string');
    }
    const capped = await bulk('globexMember', { action: 'archive', ids: tooMany });
    expect(capped.body.message).toMatch(/1000/);
    expect(await receipts('globexMember')).toEqual(before);
  });

  it('is all or nothing: a failure part way leaves every row, counter and undo as it was', async () => {
    await many('acmeAdmin', world.acme.id, 20, 'atomic');
    const before = await receipts('acmeAdmin');
    const countsBefore = (await api.get('/api/notifications/unread-count', tokens.acmeAdmin)).body;
    await server.db.$executeRawUnsafe(
      `CREATE OR REPLACE FUNCTION test_fail() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql`,
    );
    // The last step of the statement (keeping the undo rows) fails: the updates before it must not stay.
    await server.db.$executeRawUnsafe('CREATE TRIGGER test_fail BEFORE INSERT ON notification_bulk_undo_rows FOR EACH ROW EXECUTE FUNCTION test_fail()');
    try {
      const response = await bulk('acmeAdmin', { action: 'read', filter: {} });
      expect(response.status).toBe(500);
    } finally {
      await server.db.$executeRawUnsafe('DROP TRIGGER test_fail ON notification_bulk_undo_rows');
    }
    expect(await receipts('acmeAdmin')).toEqual(before);
    expect((await api.get('/api/notifications/unread-count', tokens.acmeAdmin)).body).toEqual(countsBefore);
    expect(await server.db.notificationBulkUndo.count({ where: { userId: world.users.acmeAdmin.id } })).toBe(0);
  });

  it('counts once against the write limit however many entries it changes', async () => {
    const limited = await startTestServer({ rateLimit: { writesPerUser: 3, writesPerApiKey: 100, anonymousWritesPerAddress: 100, windowSeconds: 60 } });
    try {
      const limitedWorld = await createWorld(limited.db);
      const user = limitedWorld.users.acmeMember;
      const limitedApi = apiClient(limited.url);
      const token = await limitedApi.login(user.email); // a write, but anonymous: the address's budget
      for (let i = 0; i < 50; i++) await createNotification(limited.db, { workspaceId: limitedWorld.acme.id, userId: user.id, type: 'task_assigned', title: `n${i}` });
      const ids = (await limited.db.notificationReceipt.findMany({ where: { userId: user.id } })).map((r) => r.notificationId);
      const first = await limitedApi.post('/api/notifications/bulk', { action: 'archive', ids }, token);
      expect(first.body.updated).toBe(50);
      const second = await limitedApi.post('/api/notifications/bulk/undo', { undo_token: first.body.undo_token }, token);
      expect(second.body).toEqual({ restored: 50 });
      expect((await limitedApi.post('/api/notifications/bulk', { action: 'read', ids }, token)).status).toBe(200);
      // The fourth write of the window is refused.
      const fourth = await limitedApi.post('/api/notifications/bulk', { action: 'unread', ids }, token);
      expect(fourth.status).toBe(429);
      expect(fourth.headers.get('retry-after')).toBeTruthy();
    } finally {
      await limited.close();
    }
  });

  it('keeps the counters exact under parallel bulk and single changes', async () => {
    await many('both', world.globex.id, 60, 'race');
    const ids = [...(await receipts('both')).keys()];
    for (let round = 0; round < 5; round++) {
      const wave: Promise<{ status: number }>[] = [];
      wave.push(bulk('both', { action: round % 2 ? 'unread' : 'read', ids: ids.slice(0, 40) }));
      wave.push(bulk('both', { action: round % 2 ? 'unarchive' : 'archive', filter: { archived: round % 2 === 1, workspace_id: world.globex.id } }));
      wave.push(bulk('both', { action: 'seen', ids: ids.slice(20) }));
      wave.push(api.post('/api/notifications/mark-all-read', {}, tokens.both));
      for (const [i, id] of ids.slice(0, 12).entries()) {
        wave.push(api.patch(`/api/notifications/${id}`, { read: (i + round) % 2 === 0 }, tokens.both));
        if (i % 3 === 0) wave.push(api.patch(`/api/notifications/${id}`, { archived: round % 2 === 0 }, tokens.both));
      }
      const results = await Promise.all(wave);
      expect(results.map((r) => r.status).filter((status) => status !== 200)).toEqual([]);
      await expectCountsExact('both');
    }
    // Undos racing single changes and bulk changes keep them exact too.
    const archived = await bulk('both', { action: 'archive', filter: {} });
    const read = await bulk('both', { action: 'read', filter: { archived: true } });
    await Promise.all([
      undo('both', archived.body.undo_token),
      undo('both', read.body.undo_token ?? 'none'),
      bulk('both', { action: 'unread', ids: ids.slice(0, 30) }),
      ...ids.slice(30, 40).map((id) => api.patch(`/api/notifications/${id}`, { archived: false }, tokens.both)),
    ]);
    await expectCountsExact('both');
  });
});

describe('POST /api/notifications/bulk/undo', () => {
  it('puts every row back exactly as it was', async () => {
    const a = await personal('globexMember', world.globex.id, 'read one');
    const b = await personal('globexMember', world.globex.id, 'snoozed one');
    const c = await personal('globexMember', world.globex.id, 'plain one');
    await api.patch(`/api/notifications/${a}`, { read: true }, tokens.globexMember);
    await api.patch(`/api/notifications/${b}`, { snoozed_until: new Date(Date.now() + 7200_000).toISOString() }, tokens.globexMember);
    const before = await receipts('globexMember');
    const countsBefore = (await api.get('/api/notifications/unread-count', tokens.globexMember)).body;
    const done = await bulk('globexMember', { action: 'archive', ids: [a, b, c] });
    expect(done.body.updated).toBe(3);
    expect((await undo('globexMember', done.body.undo_token)).body).toEqual({ restored: 3 });
    expect(await receipts('globexMember')).toEqual(before);
    expect((await api.get('/api/notifications/unread-count', tokens.globexMember)).body).toEqual(countsBefore);
  });

  it('leaves what was changed again since: a later decision wins, the rest of the row comes back', async () => {
    const [a, b, c] = [
      await personal('acmeMember', world.acme.id, 'since-a'),
      await personal('acmeMember', world.acme.id, 'since-b'),
      await personal('acmeMember', world.acme.id, 'since-c'),
    ];
    const done = await bulk('acmeMember', { action: 'read', ids: [a, b, c] });
    // Marked unread again on another device: stays unread after the undo (not "restored" to it).
    await api.patch(`/api/notifications/${a}`, { read: false }, tokens.acmeMember);
    // Archived since: the undo makes it unread again and leaves it archived.
    await api.patch(`/api/notifications/${b}`, { archived: true }, tokens.acmeMember);
    const result = await undo('acmeMember', done.body.undo_token);
    expect(result.body).toEqual({ restored: 2 });
    const after = await receipts('acmeMember');
    expect(after.get(a)).toMatchObject({ readAt: null, seenAt: expect.any(Date) }); // seen stays: it was seen after all
    expect(after.get(b)).toMatchObject({ readAt: null, seenAt: null, archivedAt: expect.any(Date) });
    expect(after.get(c)).toMatchObject({ readAt: null, seenAt: null });
    await expectCountsExact('acmeMember');
  });

  it('is single-use and its token works for its owner only', async () => {
    const id = await personal('globexAdmin', world.globex.id, 'once');
    const done = await api.post('/api/notifications/mark-all-read', {}, tokens.globexAdmin);
    expect(done.body.updated).toBeGreaterThanOrEqual(1);
    // Someone else's token: as unknown as a made-up one, and nothing changes.
    const stolen = await undo('globexMember', done.body.undo_token);
    expect(stolen.status).toBe(404);
    expect((await undo('globexMember', 'made-up')).body).toEqual(stolen.body);
    expect((await receipts('globexAdmin')).get(id)?.readAt).not.toBeNull();
    expect((await undo('globexAdmin', done.body.undo_token)).status).toBe(200);
    expect((await receipts('globexAdmin')).get(id)?.readAt).toBeNull();
    const again = await undo('globexAdmin', done.body.undo_token);
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('already_undone');
  });

  it('applies exactly once when sent several times at once', async () => {
    const ids = [await personal('acmeAdmin2', world.acme.id, 'p1'), await personal('acmeAdmin2', world.acme.id, 'p2')];
    const done = await bulk('acmeAdmin2', { action: 'archive', ids });
    const results = await Promise.all(Array.from({ length: 6 }, () => undo('acmeAdmin2', done.body.undo_token)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    expect(results.find((r) => r.status === 200)!.body).toEqual({ restored: 2 });
    await expectCountsExact('acmeAdmin2');
  });

  it('refuses an expired token', async () => {
    const own = await personal('both', world.acme.id, 'expires');
    const done = await bulk('both', { action: 'archive', ids: [own] });
    await server.db.notificationBulkUndo.updateMany({ where: { userId: world.users.both.id, usedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await undo('both', done.body.undo_token)).status).toBe(404);
    expect((await receipts('both')).get(own)?.archivedAt).not.toBeNull();
  });
});
