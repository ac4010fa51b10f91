import net from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pgConfigFromUrl } from '../../src/db/connection.ts';
import { createNotification } from '../../src/services/notifications/create-notification.ts';
import { LISTENER_APPLICATION_NAME } from '../../src/stream/listener.ts';
import { DEFAULT_STREAM_OPTIONS } from '../../src/stream/options.ts';
import { pruneStreamLog } from '../../src/stream/prune-stream-log.ts';
import {
  apiClient,
  commitStreamEventWithoutWakeUp,
  createWorld,
  eventually,
  PASSWORD,
  startTestServer,
  StreamClient,
  type ApiClient,
  type TestServer,
  type World,
} from '../helper.ts';

let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};
const open: StreamClient[] = [];

const personal = (userId: string, title: string, workspaceId = world.acme.id) =>
  createNotification(server.db, { workspaceId, userId, type: 'task_assigned', title, body: `body of ${title}` });
const workspaceLevel = (workspaceId: string, title: string) =>
  createNotification(server.db, { workspaceId, userId: null, type: 'playbook_completed', title });

/** Opens a stream for `who` (a key of world.users) and waits until it has its first unread_count. */
async function stream(who: string, options: { lastEventId?: string; token?: string } = {}) {
  const client = new StreamClient(`${server.url}/api/notifications/stream`, { token: options.token ?? tokens[who], ...options });
  open.push(client);
  await client.next('unread_count');
  return client;
}

const titles = (events: { data: { title: string } }[]) => events.map((event) => event.data.title);

beforeAll(async () => {
  server = await startTestServer(
    {},
    // No sweep: what a stream receives here came through a wake-up or a reconnect's re-read.
    { stream: { heartbeatMs: 100, sessionCheckMs: 100, reconnectMinMs: 300, reconnectMaxMs: 1_000, retryMs: 200, sweepMs: 3_600_000 } },
  );
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
});
afterEach(() => {
  for (const client of open.splice(0)) client.close();
});
afterAll(() => server.close());

describe('GET /api/notifications/stream', () => {
  it('delivers a notification to its recipients only: the user for personal ones, the workspace admins otherwise', async () => {
    const [member, admin, admin2, globexAdmin] = await Promise.all(
      ['acmeMember', 'acmeAdmin', 'acmeAdmin2', 'globexAdmin'].map((who) => stream(who)),
    );
    const { notification: mine } = await personal(world.users.acmeMember.id, 'for the member');
    await workspaceLevel(world.acme.id, 'for acme admins');
    // A last personal one each: once it has arrived, anything else meant for them has too.
    for (const user of [world.users.acmeMember, world.users.acmeAdmin, world.users.acmeAdmin2]) await personal(user.id, 'last');
    await personal(world.users.globexAdmin.id, 'last', world.globex.id);

    expect(titles(await member!.take('notification.created', 2))).toEqual(['for the member', 'last']);
    expect(titles(await admin!.take('notification.created', 2))).toEqual(['for acme admins', 'last']);
    expect(titles(await admin2!.take('notification.created', 2))).toEqual(['for acme admins', 'last']);
    expect(titles(await globexAdmin!.take('notification.created', 1))).toEqual(['last']);

    // The item exactly as the list returns it, with the event id increasing per user.
    const listed = (await api.get('/api/notifications?limit=100', tokens.acmeMember)).body.items;
    const created = member!.of('notification.created');
    expect(created[0]!.data).toEqual(listed.find((item: { id: string }) => item.id === mine.id));
    expect(Number(created[1]!.id)).toBe(Number(created[0]!.id) + 1);
    expect(created.length).toBe(2);
    expect(globexAdmin!.of('notification.created').length).toBe(1);
  });

  it('sends the unread count on connect and after each change', async () => {
    await server.db.notification.deleteMany({ where: { receipts: { some: { userId: world.users.both.id } } } });
    await personal(world.users.both.id, 'before', world.globex.id);
    const client = await stream('both');
    expect(client.of('unread_count')[0]!.data).toEqual({
      count: 1,
      by_workspace: { [world.globex.id]: 1 },
      unseen: 1,
      unseen_by_workspace: { [world.globex.id]: 1 },
    });
    await personal(world.users.both.id, 'after', world.acme.id);
    expect((await client.next('unread_count')).data).toEqual({
      count: 2,
      by_workspace: { [world.globex.id]: 1, [world.acme.id]: 1 },
      unseen: 2,
      unseen_by_workspace: { [world.globex.id]: 1, [world.acme.id]: 1 },
    });
  });

  it('tells the user’s other devices about a read made on one (notification.updated, then the new count)', async () => {
    const deviceA = await stream('acmeAdmin2');
    const deviceB = await stream('acmeAdmin2');
    const { notification } = await personal(world.users.acmeAdmin2.id, 'read me');
    await deviceA.next('notification.created');
    await deviceB.next('notification.created');
    const before = (await deviceB.next('unread_count')).data.count;

    const read = await api.patch(`/api/notifications/${notification.id}`, { read: true }, tokens.acmeAdmin2);
    expect(read.status).toBe(200);
    const updated = await deviceB.next('notification.updated');
    expect(updated.data).toEqual({
      id: notification.id,
      workspace_id: world.acme.id,
      read_at: read.body.read_at,
      archived_at: null,
      seen_at: read.body.seen_at,
      snoozed_until: null,
    });
    expect((await deviceB.next('unread_count')).data.count).toBe(before - 1);
    expect((await deviceA.next('notification.updated')).data.id).toBe(notification.id);
    // Exactly once.
    expect(deviceB.of('notification.updated').length).toBe(1);
  });

  it('after a disconnect, resumes from Last-Event-ID with exactly the missed events, in order, then live ones', async () => {
    const first = await stream('acmeMember');
    await personal(world.users.acmeMember.id, 'seen');
    const seen = await first.next('notification.created');
    first.close();

    for (let i = 1; i <= 5; i++) await personal(world.users.acmeMember.id, `missed ${i}`);
    const resumed = await stream('acmeMember', { lastEventId: seen.id });
    const missed = await resumed.take('notification.created', 5);
    expect(titles(missed)).toEqual(['missed 1', 'missed 2', 'missed 3', 'missed 4', 'missed 5']);
    expect(missed.map((event) => Number(event.id))).toEqual([1, 2, 3, 4, 5].map((n) => Number(seen.id) + n));

    await personal(world.users.acmeMember.id, 'live');
    expect((await resumed.next('notification.created')).data.title).toBe('live');
    expect(resumed.of('notification.created').length).toBe(6);
    expect(resumed.of('resync')).toEqual([]);
  });

  it('delivers concurrent notifications for one user, each once and in id order (no deadlock between writers)', async () => {
    const client = await stream('acmeAdmin2');
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        i % 3 === 0 ? workspaceLevel(world.acme.id, `concurrent ${i}`) : personal(world.users.acmeAdmin2.id, `concurrent ${i}`),
      ),
    );
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    const received = await client.take('notification.created', 12);
    expect(new Set(titles(received)).size).toBe(12);
    const ids = received.map((event) => Number(event.id));
    expect(ids).toEqual(ids.map((_, index) => ids[0]! + index));
  });

  it('emits nothing for a rolled-back transaction', async () => {
    const client = await stream('acmeMember');
    await expect(
      server.db.$transaction(async (tx) => {
        await createNotification(tx, { workspaceId: world.acme.id, userId: world.users.acmeMember.id, type: 'x', title: 'rolled back' });
        throw new Error('domain change failed');
      }),
    ).rejects.toThrow('domain change failed');
    await personal(world.users.acmeMember.id, 'committed');
    expect((await client.next('notification.created')).data.title).toBe('committed');
    expect(titles(client.of('notification.created'))).toEqual(['committed']);
  });

  it('closes the stream when its session is logged out, and the client cannot reconnect with that token', async () => {
    const token = await api.login(world.users.acmeMember.email, PASSWORD);
    const client = await stream('acmeMember', { token });
    expect((await api.post('/api/auth/logout', undefined, token)).status).toBeLessThan(300);
    await eventually(() => (client.readyState === 2 ? true : undefined), 'the stream to be closed');
    expect(client.errors.at(-1)).toBe(401);
  });

  it('answers 429 beyond 10 concurrent streams of one user across instances, and accepts again once one closes', async () => {
    const other = await startTestServer({}, { databaseUrl: server.databaseUrl });
    try {
      const streamOn = async (url: string) => {
        const client = new StreamClient(`${url}/api/notifications/stream`, { token: tokens.globexMember });
        open.push(client);
        await client.next('unread_count');
        return client;
      };
      const clients = [];
      for (let i = 0; i < 6; i++) clients.push(await streamOn(server.url));
      for (let i = 0; i < 4; i++) clients.push(await streamOn(other.url));
      for (const url of [server.url, other.url]) {
        const refused = await fetch(`${url}/api/notifications/stream`, { headers: { authorization: `Bearer ${tokens.globexMember}` } });
        expect(refused.status).toBe(429);
        expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(await refused.json()).toMatchObject({ error: 'too_many_requests' });
      }
      // Another user is not affected.
      await stream('globexAdmin');

      clients.at(-1)!.close(); // one of the other instance's
      await eventually(async () => {
        const response = await fetch(`${server.url}/api/notifications/stream`, { headers: { authorization: `Bearer ${tokens.globexMember}` } });
        await response.body?.cancel();
        return response.status === 200 ? true : undefined;
      }, 'a free stream slot');
    } finally {
      await other.close();
    }
  });

  it('sends resync when the Last-Event-ID was pruned or is unknown, then continues live', async () => {
    const client = await stream('acmeAdmin');
    await personal(world.users.acmeAdmin.id, 'old 1');
    await personal(world.users.acmeAdmin.id, 'old 2');
    const [old1] = await client.take('notification.created', 2);
    client.close();
    // Age the log past the retention and prune it, as the periodic job does.
    await server.db.streamEvent.updateMany({ where: { userId: world.users.acmeAdmin.id }, data: { createdAt: new Date(0) } });
    expect((await pruneStreamLog(server.db, new Date(Date.now() - 1000))).events).toBeGreaterThan(0);
    const head = (await server.db.user.findUniqueOrThrow({ where: { id: world.users.acmeAdmin.id } })).streamSeq;

    for (const lastEventId of [String(Number(old1!.id) - 1), String(head + 1000n), 'not-a-number']) {
      const resumed = await stream('acmeAdmin', { lastEventId });
      expect(resumed.of('resync'), lastEventId).toEqual([{ id: String(head), type: 'resync', data: {} }]);
      expect(resumed.of('notification.created')).toEqual([]);
      resumed.close();
    }

    // The id just before what is left in the log is still replayable.
    await personal(world.users.acmeAdmin.id, 'new');
    const fromHead = await stream('acmeAdmin', { lastEventId: String(head) });
    expect((await fromHead.next('notification.created')).data.title).toBe('new');
    expect(fromHead.of('resync')).toEqual([]);
  });

  it('recovers when its LISTEN connection is terminated, and delivers what was committed meanwhile', async () => {
    // A server of its own whose listener waits 3 s or more before connecting again, so the two
    // commits below surely land while nobody listens, however slow the machine is at the moment.
    const instance = await startTestServer(
      {},
      { databaseUrl: server.databaseUrl, stream: { heartbeatMs: 100, sessionCheckMs: 100, reconnectMinMs: 4_000, reconnectMaxMs: 4_000, retryMs: 200, sweepMs: 3_600_000 } },
    );
    try {
      const client = new StreamClient(`${instance.url}/api/notifications/stream`, { token: tokens.acmeMember });
      open.push(client);
      await client.next('unread_count');
      const hub = instance.app.streamHub;
      const lost = new Promise((resolve) => hub.once('listener-lost', resolve));
      const admin = new pg.Client(pgConfigFromUrl(server.databaseUrl));
      await admin.connect();
      try {
        const killed = await admin.query(
          'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
          [LISTENER_APPLICATION_NAME],
        );
        // This instance's listener and the file's main server's (which comes back at once).
        expect(killed.rows).toEqual([{ ok: true }, { ok: true }]);
      } finally {
        await admin.end();
      }
      await lost;
      // Committed by another instance while nobody here listens: its NOTIFYs are lost, only the log has them.
      expect(hub.listening).toBe(false);
      await commitStreamEventWithoutWakeUp(server.databaseUrl, world.users.acmeMember.id, 'while down 1');
      await commitStreamEventWithoutWakeUp(server.databaseUrl, world.users.acmeMember.id, 'while down 2');
      expect(hub.listening).toBe(false);

      expect(titles(await client.take('notification.created', 2))).toEqual(['while down 1', 'while down 2']);
      expect(hub.listening).toBe(true);
      await personal(world.users.acmeMember.id, 'after');
      expect((await client.next('notification.created')).data.title).toBe('after');
      expect(client.opens).toBe(1);
    } finally {
      await instance.close();
    }
  });

  it('disconnects a client that stops reading at its buffer bound, releasing the buffer, while another user keeps receiving', async () => {
    // A server of its own with the default bound, so the only streams are this test's.
    const fresh = await startTestServer({}, { databaseUrl: server.databaseUrl });
    const limit = DEFAULT_STREAM_OPTIONS.maxBufferedBytes;
    try {
      const reader = new StreamClient(`${fresh.url}/api/notifications/stream`, { token: tokens.globexMember });
      open.push(reader);
      await reader.next('unread_count');
      const sockets: net.Socket[] = [];
      fresh.app.server.on('connection', (socket: net.Socket) => sockets.push(socket));
      // A raw client that sends its request and then never reads.
      const { port } = new URL(fresh.url);
      const stalled = net.connect(Number(port), '127.0.0.1');
      stalled.write(`GET /api/notifications/stream HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${tokens.globexAdmin}\r\n\r\n`);
      stalled.pause();
      let closed = false;
      stalled.on('close', () => (closed = true));
      stalled.on('error', () => {});
      await eventually(() => (fresh.app.streamHub.streamCount === 2 ? true : undefined), 'both streams open');
      const serverSide = sockets.find((socket) => socket.remotePort === stalled.localPort)!;
      expect(serverSide).toBeDefined();

      // Big notifications for the stalled user until the kernel's socket buffers are full and
      // the server's bound is hit; a small one for the reader each time, which must not wait.
      const body = 'x'.repeat(256 * 1024);
      let sent = 0;
      let mostBuffered = 0;
      while (fresh.app.streamHub.streamCount === 2 && sent < 200) {
        await createNotification(server.db, { workspaceId: world.globex.id, userId: world.users.globexAdmin.id, type: 'big', title: `big ${sent}`, body });
        await createNotification(server.db, { workspaceId: world.globex.id, userId: world.users.globexMember.id, type: 'small', title: `small ${sent++}` });
        expect((await reader.next('notification.created', 3_000)).data.title).toBe(`small ${sent - 1}`);
        mostBuffered = Math.max(mostBuffered, serverSide.writableLength);
      }
      expect(fresh.app.streamHub.streamCount).toBe(1);
      // Unsent output never grew past the bound plus one round of writes (one big event and a count).
      expect(mostBuffered).toBeGreaterThan(0);
      expect(mostBuffered).toBeLessThanOrEqual(limit + body.length + 64 * 1024);
      // Dropped, not flushed: its buffer is released at once.
      await eventually(() => (serverSide.destroyed ? true : undefined), 'the server to destroy the stalled socket');
      expect(serverSide.writableLength).toBe(0);
      stalled.resume();
      await eventually(() => (closed ? true : undefined), 'the stalled connection to be closed');

      // The reader got everything, in order, and still does.
      expect(titles(reader.of('notification.created'))).toEqual(Array.from({ length: sent }, (_, i) => `small ${i}`));
      await createNotification(server.db, { workspaceId: world.globex.id, userId: world.users.globexMember.id, type: 'small', title: 'after' });
      expect((await reader.next('notification.created', 3_000)).data.title).toBe('after');
    } finally {
      await fresh.close();
    }
  });

  it('sends a retry hint and heartbeat comments', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/api/notifications/stream`, {
      headers: { authorization: `Bearer ${tokens.acmeMember}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toContain('no-cache');
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    await eventually(async () => {
      text += (await reader.read()).value ?? '';
      return /^:/m.test(text) ? true : undefined;
    }, 'a heartbeat');
    controller.abort();
    expect(text.startsWith('retry: 200\n\n')).toBe(true);
    expect(text).toMatch(/^:\n\n/m);
  });

  it('refuses a missing or bad token, a bad ticket and a malformed last_event_id with 4xx JSON', async () => {
    const cases: [string, Record<string, string>, number][] = [
      ['', {}, 401],
      ['', { authorization: 'Bearer nope' }, 401],
      ['?ticket=nope', {}, 401],
      ['?last_event_id=abc', { authorization: `Bearer ${tokens.acmeMember}` }, 400],
      ['?last_event_id=-1', { authorization: `Bearer ${tokens.acmeMember}` }, 400],
      ['?token=x', { authorization: `Bearer ${tokens.acmeMember}` }, 400],
    ];
    for (const [query, headers, status] of cases) {
      const response = await fetch(`${server.url}/api/notifications/stream${query}`, { headers });
      expect(response.status, query).toBe(status);
      expect(Object.keys(await response.json()).sort(), query).toEqual(['error', 'message']);
    }
  });
});

describe('POST /api/notifications/stream-ticket', () => {
  const ticketFor = async (who: string) => {
    const response = await api.post('/api/notifications/stream-ticket', undefined, tokens[who]);
    expect(response.status).toBe(200);
    return response.body as { ticket: string; expires_at: string };
  };

  it('opens one stream without a header (EventSource in a browser), resuming from last_event_id', async () => {
    const { ticket, expires_at } = await ticketFor('acmeMember');
    const expiresIn = new Date(expires_at).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(30_000);
    expect(expiresIn).toBeLessThanOrEqual(60_000);
    expect(ticket).not.toContain(tokens.acmeMember);

    await personal(world.users.acmeMember.id, 'one');
    const { streamSeq } = await server.db.user.findUniqueOrThrow({ where: { id: world.users.acmeMember.id } });
    await personal(world.users.acmeMember.id, 'two');
    const client = new StreamClient(`${server.url}/api/notifications/stream?ticket=${ticket}&last_event_id=${streamSeq}`);
    open.push(client);
    expect((await client.next('notification.created')).data.title).toBe('two');
    expect(titles(client.of('notification.created'))).toEqual(['two']);

    // EventSource's own reconnects send Last-Event-ID, newer than the URL's: the header wins.
    const { ticket: second } = await ticketFor('acmeMember');
    const { streamSeq: latest } = await server.db.user.findUniqueOrThrow({ where: { id: world.users.acmeMember.id } });
    await personal(world.users.acmeMember.id, 'three');
    const reconnected = new StreamClient(`${server.url}/api/notifications/stream?ticket=${second}&last_event_id=${streamSeq}`, {
      lastEventId: String(latest),
    });
    open.push(reconnected);
    expect((await reconnected.next('notification.created')).data.title).toBe('three');
    expect(titles(reconnected.of('notification.created'))).toEqual(['three']);

    // Single use: the same URL does not open a second stream.
    const again = await fetch(`${server.url}/api/notifications/stream?ticket=${ticket}`);
    expect(again.status).toBe(401);
    expect((await again.json()).error).toBe('unauthorized');
  });

  it('refuses an expired ticket and one whose session was logged out', async () => {
    const { ticket: expired } = await ticketFor('acmeMember');
    await server.db.streamTicket.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) }, where: { usedAt: null } });
    expect((await fetch(`${server.url}/api/notifications/stream?ticket=${expired}`)).status).toBe(401);

    const token = await api.login(world.users.acmeMember.email);
    const { ticket } = (await api.post('/api/notifications/stream-ticket', undefined, token)).body;
    await api.post('/api/auth/logout', undefined, token);
    expect((await fetch(`${server.url}/api/notifications/stream?ticket=${ticket}`)).status).toBe(401);
    expect((await api.post('/api/notifications/stream-ticket')).status).toBe(401);
  });
});
