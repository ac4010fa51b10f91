import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/db/sql.ts';
import { createNotification } from '../../src/services/notifications/create-notification.ts';
import { apiClient, createWorld, StreamClient, startTestServer, type TestServer, type World } from '../helper.ts';

let server: TestServer;
let world: World;

beforeAll(async () => {
  server = await startTestServer();
  world = await createWorld(server.db);
});
afterAll(() => server.close());

/** Makes every insert into `table` fail until the returned function is called. */
async function failInserts(table: string) {
  await server.db.$executeRawUnsafe(
    `CREATE OR REPLACE FUNCTION test_fail() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql`,
  );
  await server.db.$executeRawUnsafe(`CREATE TRIGGER test_fail BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION test_fail()`);
  return () => server.db.$executeRawUnsafe(`DROP TRIGGER test_fail ON ${table}`);
}

describe('createNotification without a transaction of the caller', () => {
  it('writes the notification, its receipt and its stream event, and the stream delivers it', async () => {
    const member = world.users.acmeMember;
    const token = await apiClient(server.url).login(member.email);
    const stream = new StreamClient(`${server.url}/api/notifications/stream`, { token });
    try {
      await stream.next('unread_count');
      const { notification, recipients } = await createNotification(server.db, {
        workspaceId: world.acme.id,
        userId: member.id,
        type: 'task_assigned',
        title: 'Plain SQL',
        body: 'Body',
        targetUrl: '/leads/1',
        meta: { task_id: 't1' },
      });
      expect(recipients).toEqual([member.id]);
      const event = await stream.next('notification.created');
      // The stream carries the same item the caller got back, id and time included.
      expect(event.data).toEqual(notification);
      expect(notification).toMatchObject({ user_id: member.id, title: 'Plain SQL', meta: { task_id: 't1' }, read_at: null });
      const receipts = await server.db.notificationReceipt.findMany({ where: { notificationId: notification.id } });
      expect(receipts.map((receipt) => receipt.createdAt.toISOString())).toEqual([notification.created_at]);
    } finally {
      stream.close();
    }
  });

  it('leaves nothing behind when a part of the write fails', async () => {
    const before = await server.db.notification.count();
    const restore = await failInserts('stream_events');
    try {
      await expect(
        createNotification(server.db, { workspaceId: world.acme.id, userId: world.users.acmeMember.id, type: 'task_assigned', title: 'Doomed' }),
      ).rejects.toThrow(/injected failure/);
    } finally {
      await restore();
    }
    expect(await server.db.notification.count()).toBe(before);
    expect(await server.db.notification.count({ where: { title: 'Doomed' } })).toBe(0);
  });

  it('refuses a personal notification for someone outside the workspace with a 400', async () => {
    await expect(
      createNotification(server.db, { workspaceId: world.acme.id, userId: world.users.globexMember.id, type: 'task_assigned', title: 'No' }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'recipient_not_member' });
  });

  it('collapses concurrent repeats of a group into one notification that counts them all', async () => {
    const repeat = (i: number) =>
      createNotification(server.db, {
        workspaceId: world.acme.id,
        userId: null,
        type: 'job_failed',
        title: `Job failed ${i}`,
        groupKey: 'job_failed:concurrent',
        collapsedText: (count) => ({ title: `${count} jobs failed`, body: '' }),
      });
    await Promise.all(Array.from({ length: 8 }, (_, i) => repeat(i)));
    const rows = await server.db.notification.findMany({ where: { workspaceId: world.acme.id, groupKey: 'job_failed:concurrent' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ title: '8 jobs failed', meta: { count: 8 } });
  });

  it('joins the transaction it is given: a rollback removes the notification too', async () => {
    await expect(
      withTransaction(server.db, async (tx) => {
        await createNotification(tx, { workspaceId: world.acme.id, userId: world.users.acmeMember.id, type: 'task_assigned', title: 'Rolled back' });
        throw new Error('the caller changed its mind');
      }),
    ).rejects.toThrow('the caller changed its mind');
    expect(await server.db.notification.count({ where: { title: 'Rolled back' } })).toBe(0);
  });
});
