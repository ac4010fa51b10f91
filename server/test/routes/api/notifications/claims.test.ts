import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotification } from '../../../../src/services/notifications/create-notification.ts';
import { apiClient, createWorld, PASSWORD, StreamClient, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';

// Claiming a workspace-level notification: who may, what the other admins see and count, the
// race between admins, the stream event, the activity entry, and releasing it.
let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};
const streams: StreamClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const name of ['acmeAdmin', 'acmeAdmin2', 'acmeMember', 'globexAdmin', 'superAdmin'] as const) {
    tokens[name] = await api.login(world.users[name].email);
  }
});
afterAll(async () => {
  for (const stream of streams) stream.close();
  await server?.close();
});

const shared = async (title: string) =>
  (await createNotification(server.db, { workspaceId: world.acme.id, userId: null, type: 'job_failed', title })).notification.id;
const counts = async (as: string) => (await api.get('/api/notifications/unread-count', tokens[as])).body;
const itemOf = async (as: string, id: string) =>
  ((await api.get('/api/notifications?limit=100', tokens[as])).body.items as any[]).find((item) => item.id === id);

describe('POST/DELETE /api/notifications/{id}/claim', () => {
  it('claims for the caller: everyone holding it sees who, and it leaves the other admins\' counts exactly', async () => {
    const id = await shared('Export job failed');
    await shared('Another failure, left alone');
    const before = { admin: await counts('acmeAdmin'), admin2: await counts('acmeAdmin2') };
    const stream = new StreamClient(`${server.url}/api/notifications/stream`, { token: tokens.acmeAdmin2 });
    streams.push(stream);
    // The count sent on connecting: what the claim's count is compared against.
    expect((await stream.next('unread_count')).data.count).toBe(before.admin2.count);

    const claimed = await api.post(`/api/notifications/${id}/claim`, undefined, tokens.acmeAdmin);
    expect(claimed.status).toBe(200);
    expect(claimed.body.claimed_by).toEqual({ id: world.users.acmeAdmin.id, name: 'acme-admin' });
    expect(Date.parse(claimed.body.claimed_at)).toBeGreaterThan(Date.now() - 60_000);

    // The other admin: still listed, unread, showing the claim; out of both counts by exactly one.
    const theirs = await itemOf('acmeAdmin2', id);
    expect(theirs).toMatchObject({ read_at: null, claimed_by: { id: world.users.acmeAdmin.id, name: 'acme-admin' } });
    // Left out of their unread list as out of their count; the claimer keeps it in theirs.
    const unreadIds = async (as: string) => ((await api.get('/api/notifications?only_unread=true&limit=100', tokens[as])).body.items as any[]).map((item) => item.id);
    expect(await unreadIds('acmeAdmin2')).not.toContain(id);
    expect(await unreadIds('acmeAdmin')).toContain(id);
    const after = { admin: await counts('acmeAdmin'), admin2: await counts('acmeAdmin2') };
    expect(after.admin2.count).toBe(before.admin2.count - 1);
    expect(after.admin2.unseen).toBe(before.admin2.unseen - 1);
    expect(after.admin2.by_workspace[world.acme.id]).toBe(before.admin2.by_workspace[world.acme.id] - 1);
    // The claimer keeps it in their own counts: it is theirs to deal with.
    expect(after.admin).toEqual(before.admin);

    // Live: the same state change as a read or archive, with the claim in it.
    const event = await stream.next('notification.updated');
    expect(event.data).toMatchObject({ id, workspace_id: world.acme.id, read_at: null, claimed_by: { id: world.users.acmeAdmin.id } });
    const count = await stream.next('unread_count');
    expect(count.data.count).toBe(after.admin2.count);

    // The activity log says who claimed what (admins see it, members do not).
    const log = (await api.get('/api/activity?type=notification.claimed', tokens.acmeAdmin2)).body.items;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ actor_user_id: world.users.acmeAdmin.id, entity_type: 'notification', entity_id: id });
    expect((await api.get('/api/activity?type=notification.claimed', tokens.acmeMember)).body.items ?? []).toHaveLength(0);

    // Released: everyone's again, and back in the other admin's counts.
    const released = await api.request('DELETE', `/api/notifications/${id}/claim`, { token: tokens.acmeAdmin });
    expect(released.status).toBe(200);
    expect(released.body.claimed_by).toBeNull();
    expect(await counts('acmeAdmin2')).toEqual(before.admin2);
    expect((await itemOf('acmeAdmin2', id)).claimed_by).toBeNull();
    expect(await unreadIds('acmeAdmin2')).toContain(id);
    expect((await stream.next('notification.updated')).data).toMatchObject({ id, claimed_by: null, claimed_at: null });
    expect((await api.get('/api/activity?type=notification.released', tokens.acmeAdmin)).body.items).toHaveLength(1);
  });

  it('N parallel claims: exactly one wins, every other gets 409 naming the holder, and the counts stay exact', async () => {
    // Eight admins of Acme (two from the world, six more), all holding the same notification.
    const extra = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        server.db.user.create({ data: { email: `racer${i}-${Date.now()}@test.example`, name: `Racer ${i}`, passwordHash: 'x' } }),
      ),
    );
    await server.db.membership.createMany({ data: extra.map((user) => ({ workspaceId: world.acme.id, userId: user.id, role: 'admin' as const })) });
    for (const user of extra) {
      await server.db.user.update({ where: { id: user.id }, data: { passwordHash: (await server.db.user.findUniqueOrThrow({ where: { id: world.users.acmeAdmin.id } })).passwordHash } });
      tokens[user.id] = await api.login(user.email, PASSWORD);
    }
    const racers = ['acmeAdmin', 'acmeAdmin2', ...extra.map((user) => user.id)];
    const id = await shared('Contested failure');
    const before = await Promise.all(racers.map((as) => counts(as)));

    const answers = await Promise.all(racers.map((as) => api.post(`/api/notifications/${id}/claim`, undefined, tokens[as])));
    const winners = answers.filter((answer) => answer.status === 200);
    expect(winners).toHaveLength(1);
    const holder = winners[0]!.body.claimed_by;
    for (const answer of answers.filter((a) => a.status !== 200)) {
      expect(answer.status).toBe(409);
      expect(answer.body).toMatchObject({ error: 'already_claimed', claimed_by: holder });
      expect(answer.body.message).toContain(holder.name);
    }
    const after = await Promise.all(racers.map((as) => counts(as)));
    racers.forEach((as, i) => {
      const winner = (as === 'acmeAdmin' ? world.users.acmeAdmin.id : as === 'acmeAdmin2' ? world.users.acmeAdmin2.id : as) === holder.id;
      expect(after[i]!.count, as).toBe(before[i]!.count - (winner ? 0 : 1));
    });
    // The maintained counters agree with a recount from the receipts.
    const recount = await server.db.$queryRaw<{ user_id: string; n: number }[]>`
      SELECT user_id, count(*)::int AS n FROM notification_receipts
       WHERE read_at IS NULL AND archived_at IS NULL AND snoozed_until IS NULL AND NOT claimed_elsewhere AND workspace_id = ${world.acme.id}::uuid
       GROUP BY user_id`;
    const stored = await server.db.notificationUnreadCount.findMany({ where: { workspaceId: world.acme.id } });
    for (const row of recount) expect(stored.find((s) => s.userId === row.user_id)?.unread, row.user_id).toBe(row.n);
    expect(await server.db.activity.count({ where: { type: 'notification.claimed', entityId: id } })).toBe(1);

    // Claiming again as the holder changes nothing; releasing as someone else is refused with the holder.
    const holderToken = tokens[racers.find((as, i) => answers[i]!.status === 200)!]!;
    expect((await api.post(`/api/notifications/${id}/claim`, undefined, holderToken)).status).toBe(200);
    const loserToken = tokens[racers.find((as, i) => answers[i]!.status === 409)!]!;
    const refused = await api.request('DELETE', `/api/notifications/${id}/claim`, { token: loserToken });
    expect(refused.status).toBe(409);
    expect(refused.body.claimed_by).toEqual(holder);
    expect(await server.db.activity.count({ where: { type: 'notification.claimed', entityId: id } })).toBe(1);
  });

  it('reaches only notifications the caller holds: members, other workspaces, personal ones', async () => {
    const id = await shared('Acme only');
    for (const as of ['acmeMember', 'globexAdmin', 'superAdmin']) {
      const response = await api.post(`/api/notifications/${id}/claim`, undefined, tokens[as]);
      expect(response.status, as).toBe(404);
      expect(JSON.stringify(response.body)).not.toContain('Acme only');
    }
    const personal = await createNotification(server.db, { workspaceId: world.acme.id, userId: world.users.acmeAdmin.id, type: 'task_assigned', title: 'Mine' });
    const refused = await api.post(`/api/notifications/${personal.notification.id}/claim`, undefined, tokens.acmeAdmin);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('not_claimable');
    expect((await api.post('/api/notifications/not-a-uuid/claim', undefined, tokens.acmeAdmin)).status).toBe(400);
    expect((await api.post(`/api/notifications/${id}/claim`, undefined)).status).toBe(401);
    expect(await server.db.notification.findUniqueOrThrow({ where: { id } })).toMatchObject({ claimedById: null, claimedAt: null });
  });
});
