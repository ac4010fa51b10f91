import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pgConfigFromUrl } from '../../src/db/connection.ts';
import { createNotification } from '../../src/services/notifications/create-notification.ts';
import { STREAM_CHANNEL } from '../../src/stream/append-stream-events.ts';
import { NOTIFIER_APPLICATION_NAME } from '../../src/stream/notifier.ts';
import { parseHeads } from '../../src/stream/wake-ups.ts';
import {
  apiClient,
  commitStreamEventWithoutWakeUp,
  createWorld,
  eventually,
  startTestServer,
  StreamClient,
  type TestServer,
  type World,
} from '../helper.ts';

// Two instances on one database: A sweeps its streams' heads every 5 s (the default); B never
// does, so what B's streams receive came through the wake-up after commit.
let serverA: TestServer;
let serverB: TestServer;
let world: World;
let sql: pg.Client;
const open: StreamClient[] = [];

const personal = (db: Parameters<typeof createNotification>[0], userId: string, title: string) =>
  createNotification(db, { workspaceId: world.acme.id, userId, type: 'task_assigned', title });

async function stream(server: TestServer, email: string, lastEventId?: string) {
  const token = await apiClient(server.url).login(email);
  const client = new StreamClient(`${server.url}/api/notifications/stream`, { token, lastEventId });
  open.push(client);
  await client.next('unread_count');
  return client;
}

/** Every NOTIFY on the stream channel from now on, with the backend that sent it. */
async function listen() {
  const client = new pg.Client(pgConfigFromUrl(serverA.databaseUrl));
  await client.connect();
  const received: { senderPid: number; heads: ReturnType<typeof parseHeads> }[] = [];
  client.on('notification', (message) => received.push({ senderPid: message.processId, heads: parseHeads(message.payload) }));
  await client.query(`LISTEN ${STREAM_CHANNEL}`);
  return { received, close: () => client.end() };
}

async function streamSeq(userId: string) {
  const { rows } = await sql.query<{ seq: string }>('SELECT stream_seq AS seq FROM users WHERE id = $1', [userId]);
  return BigInt(rows[0]!.seq);
}

beforeAll(async () => {
  serverA = await startTestServer();
  serverB = await startTestServer({}, { databaseUrl: serverA.databaseUrl, stream: { sweepMs: 3_600_000 } });
  world = await createWorld(serverA.db);
  sql = new pg.Client(pgConfigFromUrl(serverA.databaseUrl));
  await sql.connect();
});
afterEach(() => {
  for (const client of open.splice(0)) client.close();
});
afterAll(async () => {
  await sql.end();
  await serverB.close();
  await serverA.close();
});

describe('waking the streams after a commit', () => {
  it('never runs NOTIFY in the writing transaction: the wake-up comes from the notifier after the commit', async () => {
    const member = world.users.acmeMember;
    const onB = await stream(serverB, member.email);
    const notifications = await listen();
    try {
      // A caller's transaction, still open for a while after the write, and a plain create.
      let writerPid = 0;
      await serverA.db.$transaction(async (tx) => {
        writerPid = (await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0]!.pid;
        await personal(tx, member.id, 'in a transaction');
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(onB.of('notification.created')).toEqual([]);
      });
      await personal(serverA.db, member.id, 'on its own');
      expect((await onB.take('notification.created', 2)).map((event) => event.data.title)).toEqual(['in a transaction', 'on its own']);

      const head = await streamSeq(member.id);
      await eventually(
        () => notifications.received.some((n) => n.heads.some((h) => h.userId === member.id && h.seq === head)) || undefined,
        'a NOTIFY of the last head',
      );
      const { rows } = await sql.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
        [NOTIFIER_APPLICATION_NAME],
      );
      const notifierPids = rows.map((row) => row.pid);
      const senders = new Set(notifications.received.filter((n) => n.heads.some((h) => h.userId === member.id)).map((n) => n.senderPid));
      expect(senders.has(writerPid)).toBe(false);
      expect([...senders].every((pid) => notifierPids.includes(pid))).toBe(true);
    } finally {
      await notifications.close();
    }
  });

  it('delivers within seconds an event committed without any wake-up (a writer gone between its commit and its NOTIFY)', async () => {
    const admin = world.users.acmeAdmin;
    // A stream resuming just before an event in the log: once it has that one, its first read
    // of the log is over, and nothing else is under way that could find the next event.
    const before = await commitStreamEventWithoutWakeUp(serverA.databaseUrl, admin.id, 'in the log before');
    const onA = await stream(serverA, admin.email, String(BigInt(before) - 1n));
    expect((await onA.next('notification.created')).data.title).toBe('in the log before');
    const seq = await commitStreamEventWithoutWakeUp(serverA.databaseUrl, admin.id, 'never announced');
    const received = await onA.next('notification.created');
    expect(received.data.title).toBe('never announced');
    expect(received.id).toBe(seq);
    // Later events still come once each, in order.
    await personal(serverA.db, admin.id, 'announced');
    expect((await onA.next('notification.created')).data.title).toBe('announced');
    expect(onA.of('notification.created').map((event) => event.data.title)).toEqual(['in the log before', 'never announced', 'announced']);
  });
});
