import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNotification } from '../../src/services/notifications/create-notification.ts';
import { freePort } from '../global-setup.ts';
import {
  apiClient,
  createWorld,
  startServerProcess,
  startTestServer,
  StreamClient,
  type ServerProcess,
  type TestServer,
  type World,
} from '../helper.ts';

// Several server processes on one PostgreSQL, as behind a load balancer: instance A runs in
// this process, the others are `server/src/server.ts` in child processes.
let serverA: TestServer;
let world: World;
const processes: ServerProcess[] = [];
const clients: StreamClient[] = [];

const personal = (userId: string, title: string) =>
  createNotification(serverA.db, { workspaceId: world.acme.id, userId, type: 'task_assigned', title });

async function startProcess(port = 0) {
  const started = await startServerProcess(serverA.databaseUrl, port);
  processes.push(started);
  return started;
}

function streamOn(url: string, token: string) {
  const client = new StreamClient(`${url}/api/notifications/stream`, { token });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  serverA = await startTestServer();
  world = await createWorld(serverA.db);
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(processes.splice(0).map((started) => started.stop()));
});
afterAll(() => serverA.close());

describe('the stream across server instances', () => {
  it('delivers a change made through instance A to a stream held by instance B, and back', async () => {
    const serverB = await startProcess();
    const api = apiClient(serverA.url);
    const token = await api.login(world.users.acmeMember.email);
    const onB = streamOn(serverB.url, token);
    const onA = streamOn(serverA.url, token);
    await onB.next('unread_count');
    await onA.next('unread_count');

    const { notification } = await personal(world.users.acmeMember.id, 'created on A');
    expect((await onB.next('notification.created')).data.id).toBe(notification.id);

    // Read through B's API: the stream on A follows.
    const read = await apiClient(serverB.url).patch(`/api/notifications/${notification.id}`, { read: true }, token);
    expect(read.status).toBe(200);
    expect((await onA.next('notification.updated')).data).toMatchObject({ id: notification.id, read_at: read.body.read_at });
    expect((await onB.next('notification.updated')).data.id).toBe(notification.id);
    expect(onB.of('notification.created').length).toBe(1);
  });

  it('loses nothing and repeats nothing when the server holding the stream is SIGKILLed mid-flow and restarted', async () => {
    const port = await freePort();
    const first = await startProcess(port);
    const token = await apiClient(first.url).login(world.users.acmeAdmin.email);
    const client = streamOn(first.url, token);
    await client.next('unread_count');

    const created: string[] = [];
    for (let i = 1; i <= 12; i++) {
      created.push((await personal(world.users.acmeAdmin.id, `n${i}`)).notification.id);
      if (i === 4) {
        first.child.kill('SIGKILL');
        await first.exited;
      }
    }
    // Same address, as a load balancer would present it: EventSource reconnects by itself,
    // sending the Last-Event-ID it last received.
    await startProcess(port);
    const received = await client.take('notification.created', 12, 30_000);
    expect(received.map((event) => event.data.id)).toEqual(created);
    const ids = received.map((event) => Number(event.id));
    expect(ids).toEqual(ids.map((_, index) => ids[0]! + index));
    expect(client.opens).toBeGreaterThanOrEqual(2);
    expect(client.of('resync')).toEqual([]);

    await personal(world.users.acmeAdmin.id, 'after restart');
    expect((await client.next('notification.created')).data.title).toBe('after restart');
    expect(client.of('notification.created').length).toBe(13);
  }, 90_000); // two server processes start from cold: 20 s and more on a busy 2-core machine
});
