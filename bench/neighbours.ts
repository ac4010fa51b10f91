/**
 * npm run bench:neighbours — one tenant floods the server, another must not notice.
 *
 *   npm run bench:neighbours -- --rows 400000 --seconds 20
 *
 * Globex (the noisy tenant) holds `--rows` activity entries; Acme (the quiet one) a member with
 * an inbox and an admin with alert rules. The
 * server runs in a process of its own with its production settings. Two phases of `--seconds`
 * each, the same measurements in both:
 *   idle:  Acme's unread count and inbox page, timed one request after another, and an alert:
 *          three leads created, the time until the rule's notification reaches the admin's stream;
 *   flood: the same while a Globex member runs `--searches` parallel loops of a deep full-text
 *          search (`q=lead&page=40`) and `--exports` parallel full exports, and Globex's admin
 *          creates as many alert rules as it may (up to `--rules`) that all fire at once, on
 *          leads it keeps creating.
 * Prints p50/p99 per phase, the flood/idle ratio of p99 (goal ≤ 3), Acme's 5xx (goal 0) and the
 * alert delay (goal ≤ 5 s), and what Globex's flood got (answers by status).
 */
import { EventSource } from 'eventsource';
import { createPrismaClient } from '../server/src/db/prisma.ts';
import { hashToken, newToken } from '../server/src/lib/tokens.ts';
import { flag, loadAverage, log, percentile, sleep, startBenchDatabase, startServer } from './lib.ts';

const ROWS = flag('rows', 400_000);
const SECONDS = flag('seconds', 20);
const SEARCHES = flag('searches', 16);
const EXPORTS = flag('exports', 2);
const RULES = flag('rules', 250);

const database = await startBenchDatabase();
const db = createPrismaClient(database.url, 4);

async function tenant(name: string) {
  const workspace = await db.workspace.create({ data: { name, slug: name.toLowerCase() } });
  const person = async (role: 'admin' | 'member') => {
    const user = await db.user.create({ data: { email: `${role}@${name.toLowerCase()}.test`, name: `${name} ${role}`, passwordHash: 'unused' } });
    await db.membership.create({ data: { workspaceId: workspace.id, userId: user.id, role } });
    const token = newToken();
    await db.session.create({ data: { userId: user.id, tokenHash: hashToken(token), workspaceId: workspace.id, expiresAt: new Date(Date.now() + 86_400_000) } });
    return { id: user.id, token };
  };
  return { id: workspace.id, admin: await person('admin'), member: await person('member') };
}

log(`seeding: Acme (quiet) and Globex (noisy, ${ROWS.toLocaleString('en-US')} activity entries)`);
const acme = await tenant('Acme');
const globex = await tenant('Globex');
await db.$executeRawUnsafe(
  `WITH n AS (
     INSERT INTO notifications (workspace_id, user_id, type, title, body, created_at, updated_at)
     SELECT $1::uuid, $2::uuid, 'task_assigned', 'Task ' || g, 'Call back about the renewal', now() - (g || ' minutes')::interval, now()
       FROM generate_series(1, 300) g
     RETURNING id, workspace_id, user_id, created_at)
   INSERT INTO notification_receipts (notification_id, user_id, workspace_id, created_at, read_at)
   SELECT id, user_id, workspace_id, created_at, CASE WHEN random() < 0.7 THEN now() END FROM n`,
  acme.id,
  acme.member.id,
);
for (let done = 0; done < ROWS; done += 100_000) {
  const count = Math.min(100_000, ROWS - done);
  await db.$executeRawUnsafe(
    `INSERT INTO activities (workspace_id, type, entity_type, entity_id, summary, meta, created_at)
     SELECT $1::uuid, (ARRAY['lead.created','lead.updated','task.created','campaign.sent'])[1 + g % 4], 'lead', (g % 5000)::text,
            'Lead ' || g || ' updated by the import', '{}', now() - ((g + $2) || ' seconds')::interval
       FROM generate_series(1, $3::int) g`,
    globex.id,
    done,
    count,
  );
  log(`  ${(done + count).toLocaleString('en-US')} of ${ROWS.toLocaleString('en-US')} Globex entries`);
}
await db.$executeRawUnsafe('ANALYZE');

// Warnings (each refused or cancelled request) would bury the progress lines.
const server = await startServer(database.url, { LOG_LEVEL: 'error' });
const api = async (method: string, path: string, token: string, body?: unknown) => {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
};

/** Globex's rules: as many as it is allowed, each firing on the next lead Globex creates. */
async function createGlobexRules() {
  let created = 0;
  let refused = '';
  for (; created < RULES; created++) {
    const answer = await api('POST', '/api/alert-rules', globex.admin.token, {
      name: `Every lead ${created}`,
      types: ['lead.created'],
      threshold: 1,
      window_minutes: 1,
      notify: { roles: ['admin', 'member'], user_ids: [], super_admins: false },
    });
    if (answer.status !== 201) {
      refused = `${answer.status} ${answer.body?.message ?? ''}`;
      break;
    }
  }
  log(`Globex has ${created} alert rules${refused ? ` (the next was refused: ${refused})` : ''}`);
  return created;
}
const acmeRule = async (type: string) =>
  api('POST', '/api/alert-rules', acme.admin.token, {
    name: `Three ${type}`,
    types: [type],
    threshold: 3,
    window_minutes: 1,
    notify: { roles: ['admin'], user_ids: [], super_admins: false },
  });
for (const type of ['lead.created', 'lead.updated']) {
  const created = await acmeRule(type);
  if (created.status !== 201) throw new Error(`Acme's rule was refused: ${created.status} ${JSON.stringify(created.body)}`);
}

// Acme's admin holds a stream: the alert is timed from the third write to its arrival.
const arrivals: { at: number; title: string }[] = [];
const stream = new EventSource(`${server.url}/api/notifications/stream`, {
  fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${acme.admin.token}` } }),
});
stream.addEventListener('notification.created', (event) => arrivals.push({ at: performance.now(), title: JSON.parse(event.data).title }));
await new Promise<void>((resolve) => stream.addEventListener('open', () => resolve(), { once: true }));

interface Timings {
  ms: number[];
  fiveHundreds: number;
}

async function timeReads(path: string, token: string, until: number): Promise<Timings> {
  const timings: Timings = { ms: [], fiveHundreds: 0 };
  while (performance.now() < until) {
    const started = performance.now();
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    timings.ms.push(performance.now() - started);
    if (response.status >= 500) timings.fiveHundreds++;
    await sleep(20);
  }
  return timings;
}

/** Three writes of `type` by Acme's admin, then the time until the rule's alert reaches the stream. */
async function alertDelay(type: 'lead.created' | 'lead.updated', leadIds: string[]): Promise<number> {
  for (let i = 0; i < 3; i++) {
    const response =
      type === 'lead.created'
        ? await api('POST', '/api/leads', acme.admin.token, { name: `Prospect ${i}` })
        : await api('PATCH', `/api/leads/${leadIds[i]}`, acme.admin.token, { status: 'contacted' });
    if (response.status >= 300) throw new Error(`${type} write failed: ${response.status} ${JSON.stringify(response.body)}`);
    if (type === 'lead.created') leadIds.push(response.body.id);
  }
  const thirdWrite = performance.now();
  const seen = arrivals.length;
  for (;;) {
    const alert = arrivals.slice(seen).find((arrival) => arrival.at >= thirdWrite);
    if (alert) return alert.at - thirdWrite;
    if (performance.now() - thirdWrite > 60_000) return Number.POSITIVE_INFINITY;
    await sleep(10);
  }
}

async function phase(name: string, alertType: 'lead.created' | 'lead.updated', leadIds: string[]) {
  const until = performance.now() + SECONDS * 1000;
  const [unread, inbox, alert] = await Promise.all([
    timeReads('/api/notifications/unread-count', acme.member.token, until),
    timeReads('/api/notifications?page_size=50', acme.member.token, until),
    sleep(2_000).then(() => alertDelay(alertType, leadIds)),
  ]);
  log(`${name}: done (load average ${loadAverage()})`);
  return { unread, inbox, alert };
}

log(`idle phase: ${SECONDS} s`);
const leadIds: string[] = [];
const idle = await phase('idle', 'lead.created', leadIds);

log(`flood phase: ${SECONDS} s, Globex runs ${SEARCHES} search loops and ${EXPORTS} export loops, creates a lead every 0.5 s and its rules`);
const floodAnswers = new Map<string, number>();
let flooding = true;
const count = (what: string, status: number) => floodAnswers.set(`${what} ${status}`, (floodAnswers.get(`${what} ${status}`) ?? 0) + 1);
const floodLoops = [
  ...Array.from({ length: SEARCHES }, async () => {
    while (flooding) {
      const response = await fetch(`${server.url}/api/activity?q=lead&page=40&page_size=50`, { headers: { authorization: `Bearer ${globex.member.token}` } });
      await response.arrayBuffer();
      count('search', response.status);
      // A client told to retry later does so (as the Retry-After says, shortened to keep the pressure on).
      if (response.status === 429) await sleep(250);
    }
  }),
  ...Array.from({ length: EXPORTS }, async () => {
    while (flooding) {
      const response = await fetch(`${server.url}/api/activity/export?format=csv`, { headers: { authorization: `Bearer ${globex.member.token}` } });
      await response.arrayBuffer().catch(() => undefined);
      count('export', response.status);
      if (response.status === 429) await sleep(250);
    }
  }),
  (async () => {
    while (flooding) {
      await api('POST', '/api/leads', globex.admin.token, { name: 'Imported lead' });
      await sleep(500);
    }
  })(),
];
const globexRules = await createGlobexRules();
await sleep(1_000);
const flood = await phase('flood', 'lead.updated', leadIds);
flooding = false;
await Promise.all(floodLoops);
stream.close();

const row = (what: string, a: Timings, b: Timings) => {
  const [idleSorted, floodSorted] = [a.ms, b.ms].map((ms) => [...ms].sort((x, y) => x - y)) as [number[], number[]];
  const ratio = percentile(floodSorted, 99) / percentile(idleSorted, 99);
  return `| ${what} | ${a.ms.length} / ${b.ms.length} | ${percentile(idleSorted, 50).toFixed(2)} / ${percentile(idleSorted, 99).toFixed(2)} | ${percentile(floodSorted, 50).toFixed(2)} / ${percentile(floodSorted, 99).toFixed(2)} | ${ratio.toFixed(2)}× ${ratio <= 3 ? '(met)' : '(missed)'} | ${a.fiveHundreds + b.fiveHundreds} |`;
};
console.log(`\nbench:neighbours — ${ROWS.toLocaleString('en-US')} Globex entries, ${globexRules} Globex rules, ${SEARCHES} searches + ${EXPORTS} exports in flight, ${SECONDS} s per phase, load average ${loadAverage()}\n`);
console.log('| Acme (quiet tenant) | requests idle / flood | idle p50 / p99 ms | flood p50 / p99 ms | p99 flood/idle (goal ≤ 3×) | 5xx (goal 0) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
console.log(row('unread count', idle.unread, flood.unread));
console.log(row('inbox page (50)', idle.inbox, flood.inbox));
const alertCell = (ms: number) => `${(ms / 1000).toFixed(2)} s ${ms <= 5_000 ? '(met)' : '(missed)'}`;
console.log(`\nAcme's alert, third write → notification on the admin's stream (goal ≤ 5 s): idle ${alertCell(idle.alert)}, flood ${alertCell(flood.alert)}`);
console.log(`Globex's flood answers: ${[...floodAnswers].sort().map(([what, n]) => `${what}: ${n}`).join(', ')}`);

server.stop();
await db.$disconnect();
await database.stop();
const failed = idle.unread.fiveHundreds + idle.inbox.fiveHundreds + flood.unread.fiveHundreds + flood.inbox.fiveHundreds > 0;
process.exit(failed ? 1 : 0);
