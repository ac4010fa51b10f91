import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiClient,
  createWorld,
  eventually,
  startTestServer,
  StreamClient,
  type ApiClient,
  type TestServer,
  type World,
} from '../helper.ts';
import { pgConfigFromUrl } from '../../src/db/connection.ts';

// A repeat (a second reply from one lead) racing the recipient's read of the grouped
// notification: whichever commits first, the stream, the list and the count must agree, and
// a repeat must never be folded into a notification that is already read or archived.

let server: TestServer;
let api: ApiClient;
let world: World;
let member: string;
let apiKey: string;

beforeAll(async () => {
  server = await startTestServer({}, { stream: { heartbeatMs: 100, retryMs: 200 } });
  api = apiClient(server.url);
  world = await createWorld(server.db);
  member = await api.login(world.users.acmeMember.email);
  const admin = await api.login(world.users.acmeAdmin.email);
  apiKey = (await api.post('/api/api-keys', { name: 'sync' }, admin)).body.key;
});
afterAll(() => server.close());

const reply = (leadId: string, subject: string) =>
  api.request('POST', '/api/inbound/replies', {
    body: { lead_id: leadId, subject },
    headers: { authorization: `Bearer ${apiKey}` },
  });

interface Seen {
  read: boolean;
  archived: boolean;
  title?: string;
}

/** What a client that applies every event in order believes about each notification. */
function streamView(client: StreamClient) {
  const view = new Map<string, Seen>();
  for (const event of client.events) {
    if (event.type !== 'notification.created' && event.type !== 'notification.updated') continue;
    const previous = view.get(event.data.id);
    view.set(event.data.id, {
      read: event.data.read_at != null,
      archived: event.data.archived_at != null,
      title: event.data.title ?? previous?.title,
    });
  }
  return view;
}

async function checkAgreement(client: StreamClient, leadIds: string[]) {
  const [list, count] = await Promise.all([
    api.get('/api/notifications?limit=100', member),
    api.get('/api/notifications/unread-count', member),
  ]);
  const archived = (await api.get('/api/notifications?limit=100&archived=true', member)).body.items as any[];
  const all = [...list.body.items, ...archived].filter((item) => leadIds.includes(item.meta.lead_id));
  // Every reply is counted by exactly one notification.
  for (const leadId of leadIds) {
    expect(all.filter((item) => item.meta.lead_id === leadId).reduce((sum, item) => sum + item.meta.count, 0)).toBe(2);
  }
  // The stream settles on the same state as the list and the count.
  await eventually(
    () => {
      const view = streamView(client);
      const agrees = all.every((item) => {
        const seen = view.get(item.id);
        return seen && seen.read === (item.read_at != null) && seen.archived === (item.archived_at != null) && seen.title === item.title;
      });
      const lastCount = client.of('unread_count').at(-1)?.data.count;
      return agrees && lastCount === count.body.count ? true : undefined;
    },
    `the stream to agree with the list ${JSON.stringify(all)} and count ${count.body.count}: ${JSON.stringify([...streamView(client)])}, last count ${client.of('unread_count').at(-1)?.data.count}`,
    3_000,
  );
}

/** Backends of this test's database waiting for a lock. */
async function waitingForLocks(probe: pg.Client) {
  const { rows } = await probe.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return rows[0].n as number;
}

describe('a repeat racing a read of its group', () => {
  for (const [name, readIt] of [
    ['mark-all-read', () => api.post('/api/notifications/mark-all-read', undefined, member)],
    ['PATCH read', (id: string) => api.patch(`/api/notifications/${id}`, { read: true }, member)],
    ['PATCH archived', (id: string) => api.patch(`/api/notifications/${id}`, { archived: true }, member)],
  ] as const) {
    it(`never lands in a notification that ${name} just changed; stream, list and count agree`, async () => {
      const client = new StreamClient(`${server.url}/api/notifications/stream`, { token: member });
      const holder = new pg.Client(pgConfigFromUrl(server.databaseUrl));
      await holder.connect();
      try {
        await client.next('unread_count');
        const lead = (await api.post('/api/leads', { name: `Lead ${name}`, email: 'x@lead.test' }, member)).body;
        const first = await reply(lead.id, 'Re: 1');
        expect(first.status).toBe(201);
        // Force the worst interleaving: the repeat has decided where it goes but not written yet
        // (its write waits for a row lock this test holds) when the read runs.
        await holder.query('BEGIN');
        await holder.query('SELECT 1 FROM notifications WHERE id = $1 FOR UPDATE', [first.body.notification_id]);
        const second = reply(lead.id, 'Re: 2');
        await eventually(async () => ((await waitingForLocks(holder)) >= 1 ? true : undefined), 'the repeat to wait');
        let readDone = false;
        const read = readIt(first.body.notification_id).finally(() => (readDone = true));
        // The read either completes or waits behind the repeat.
        await eventually(async () => (readDone || (await waitingForLocks(holder)) >= 2 ? true : undefined), 'the read to run');
        await holder.query('COMMIT');
        expect([(await second).status, (await read).status]).toEqual([201, 200]);
        await checkAgreement(client, [lead.id]);
      } finally {
        await holder.end();
        client.close();
      }
    });
  }
});
