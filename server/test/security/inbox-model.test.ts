import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/services/api-keys/create-api-key.ts';
import { createNotification } from '../../src/services/notifications/create-notification.ts';
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

// A model-based test of one user's inbox: fast-check draws sequences of batches of commands
// (create, repeat into a group, read, unread, archive, unarchive, mark all read or seen), each
// batch issued concurrently against the real server. The server must behave as if the
// commands of a batch ran one after the other in some order: after every batch its list, its
// unread count and a live stream client's view must equal the model run in one of the orders,
// and every answer the server gave (a PATCH's item, mark-all-read's count, the notification a
// repeat went to) must be the one that order would give. A deadlock or any other non-2xx fails.

type WorkspaceName = 'acme' | 'globex';
type Change = 'read' | 'unread' | 'archive' | 'unarchive';

type Op =
  /** Personal (acme or globex), or workspace-level in globex, where the user is an admin. */
  | { kind: 'create'; workspace: WorkspaceName; personal: boolean }
  /** An inbound reply from one of three leads: it collapses into its group's latest unread notification. */
  | { kind: 'repeat'; lead: number }
  /** `pick` chooses among the notifications that exist when the batch runs. */
  | { kind: 'patch'; pick: number; change: Change }
  | { kind: 'markAllRead'; workspace?: WorkspaceName }
  | { kind: 'markAllSeen' };

/** An op bound to the notification it targets, with what the server answered. */
type Resolved = Op & { target?: string; result?: { status: number; body: any } };

interface Note {
  id: string;
  workspace: WorkspaceName;
  /** Lead id of a reply group; null for ungrouped notifications. */
  lead: string | null;
  read: boolean;
  archived: boolean;
  seen: boolean;
  /** meta.count of a grouped notification. */
  count: number | null;
  /** Creation order: `pick` indexes notifications in this order. */
  born: number;
  /** The batch that created or last collapsed into it: the list is newest first by this. */
  step: number;
  /** Serial position of its last creation or collapse: a repeat goes to the latest eligible one. */
  touched: number;
}

interface Model {
  notes: Map<string, Note>;
  step: number;
  clock: number;
}

interface Lead {
  id: string;
  name: string;
  workspace: WorkspaceName;
}

interface Real {
  api: ApiClient;
  world: World;
  token: string;
  keys: Record<WorkspaceName, string>;
  leads: Lead[];
  stream: StreamClient;
}

let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  // Every run logs a fresh user in: lift the per-address login budget.
  server = await startTestServer({ loginMaxAttemptsPerAddress: 100_000 }, { stream: { heartbeatMs: 1_000, retryMs: 200 } });
  api = apiClient(server.url);
});
afterAll(() => server.close());

/** A fresh world per run; the subject is `both` (member of Acme, admin of Globex). */
async function startRun(): Promise<Real> {
  const world = await createWorld(server.db);
  const subject = world.users.both;
  const token = await api.login(subject.email);
  const actor = (workspace: WorkspaceName) => ({
    workspaceId: world[workspace].id,
    userId: world.users[workspace === 'acme' ? 'acmeAdmin' : 'globexAdmin'].id,
    name: 'admin',
    role: 'admin' as const,
  });
  const keys = {
    acme: (await createApiKey(server.db, { actor: actor('acme'), name: 'sync' })).key,
    globex: (await createApiKey(server.db, { actor: actor('globex'), name: 'sync' })).key,
  };
  // Two leads the subject owns (personal replies) and one without owner (Globex's admins hear).
  const lead = async (name: string, workspace: WorkspaceName, ownerUserId: string | null) => ({
    id: (await server.db.lead.create({ data: { workspaceId: world[workspace].id, name, ownerUserId } })).id,
    name,
    workspace,
  });
  const leads = [
    await lead('Ada', 'acme', subject.id),
    await lead('Bo', 'globex', null),
    await lead('Cy', 'globex', subject.id),
  ];
  const stream = new StreamClient(`${server.url}/api/notifications/stream`, { token });
  await stream.next('unread_count');
  return { api, world, token, keys, leads, stream };
}

const TIMEOUT_MS = 15_000;

/** A call that hangs (an undetected deadlock) fails the batch instead of the whole test file. */
function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

let titles = 0;

async function execute(op: Resolved, real: Real): Promise<{ status: number; body: any }> {
  const { world, token } = real;
  switch (op.kind) {
    case 'create': {
      const { notification } = await createNotification(server.db, {
        workspaceId: world[op.workspace].id,
        userId: op.personal ? world.users.both.id : null,
        type: op.personal ? 'task_assigned' : 'playbook_completed',
        title: `n${++titles}`,
      });
      return { status: 201, body: { notification_id: notification.id } };
    }
    case 'repeat': {
      const lead = real.leads[op.lead]!;
      return real.api.request('POST', '/api/inbound/replies', {
        body: { lead_id: lead.id, subject: `Re: ${++titles}` },
        headers: { authorization: `Bearer ${real.keys[lead.workspace]}` },
      });
    }
    case 'patch': {
      const change = { read: { read: true }, unread: { read: false }, archive: { archived: true }, unarchive: { archived: false } }[op.change];
      return real.api.patch(`/api/notifications/${op.target}`, change, token);
    }
    case 'markAllRead':
      return real.api.post('/api/notifications/mark-all-read', op.workspace ? { workspace_id: world[op.workspace].id } : undefined, token);
    case 'markAllSeen':
      return real.api.post('/api/notifications/mark-all-seen', undefined, token);
  }
}

function cloneModel(model: Model): Model {
  return { ...model, notes: new Map([...model.notes].map(([id, note]) => [id, { ...note }])) };
}

/**
 * Applies `op` to `model` as the server should, given what the server answered. Returns why
 * the answer is impossible in this order, or undefined when it fits.
 */
function apply(model: Model, op: Resolved, real: Real): string | undefined {
  const body = op.result!.body;
  const notes = [...model.notes.values()];
  const born = () => notes.length === 0 ? 0 : Math.max(...notes.map((note) => note.born)) + 1;
  switch (op.kind) {
    case 'create': {
      if (model.notes.has(body.notification_id)) return 'a create answered an existing notification';
      model.notes.set(body.notification_id, {
        id: body.notification_id,
        workspace: op.workspace,
        lead: null,
        read: false,
        archived: false,
        seen: false,
        count: null,
        born: born(),
        step: model.step,
        touched: ++model.clock,
      });
      return undefined;
    }
    case 'repeat': {
      const lead = real.leads[op.lead]!;
      const latest = notes
        .filter((note) => note.lead === lead.id && !note.read && !note.archived)
        .sort((a, b) => b.touched - a.touched)[0];
      if (latest) {
        if (body.notification_id !== latest.id) return `the repeat should have collapsed into ${latest.id}`;
        Object.assign(latest, { count: latest.count! + 1, seen: false, step: model.step, touched: ++model.clock });
        return undefined;
      }
      if (model.notes.has(body.notification_id)) return 'the repeat landed in a read or archived notification';
      model.notes.set(body.notification_id, {
        id: body.notification_id,
        workspace: lead.workspace,
        lead: lead.id,
        read: false,
        archived: false,
        seen: false,
        count: 1,
        born: born(),
        step: model.step,
        touched: ++model.clock,
      });
      return undefined;
    }
    case 'patch': {
      const note = model.notes.get(op.target!)!;
      if (op.change === 'read') Object.assign(note, { read: true, seen: true });
      if (op.change === 'unread') note.read = false;
      if (op.change === 'archive') note.archived = true;
      if (op.change === 'unarchive') note.archived = false;
      const answered = { read: body.read_at != null, archived: body.archived_at != null, seen: body.seen_at != null };
      const expected = { read: note.read, archived: note.archived, seen: note.seen };
      if (JSON.stringify(answered) !== JSON.stringify(expected)) return `PATCH answered ${JSON.stringify(answered)}`;
      return undefined;
    }
    case 'markAllRead': {
      const changed = notes.filter((note) => !note.read && !note.archived && (!op.workspace || note.workspace === op.workspace));
      for (const note of changed) Object.assign(note, { read: true, seen: true });
      return body.updated === changed.length ? undefined : `mark-all-read updated ${body.updated}, not ${changed.length}`;
    }
    case 'markAllSeen': {
      const changed = notes.filter((note) => !note.seen && !note.archived);
      for (const note of changed) note.seen = true;
      return body.updated === changed.length ? undefined : `mark-all-seen updated ${body.updated}, not ${changed.length}`;
    }
  }
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}

/** What the caller can see of a notification, for comparing the model with the server. */
function projectNote(note: Note) {
  return { workspace: note.workspace, lead: note.lead, read: note.read, archived: note.archived, seen: note.seen, count: note.count };
}

function projectItem(item: any, real: Real) {
  return {
    workspace: (item.workspace_id === real.world.acme.id ? 'acme' : 'globex') as WorkspaceName,
    lead: (item.meta.lead_id as string | undefined) ?? null,
    read: item.read_at != null,
    archived: item.archived_at != null,
    seen: item.seen_at != null,
    count: (item.meta.count as number | undefined) ?? null,
  };
}

const sortedById = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));

function expectedCounts(model: Model, real: Real) {
  const counts = { count: 0, by_workspace: {} as Record<string, number>, unseen: 0, unseen_by_workspace: {} as Record<string, number> };
  for (const note of model.notes.values()) {
    if (note.archived) continue;
    const workspaceId = real.world[note.workspace].id;
    if (!note.read) {
      counts.count++;
      counts.by_workspace[workspaceId] = (counts.by_workspace[workspaceId] ?? 0) + 1;
    }
    if (!note.seen) {
      counts.unseen++;
      counts.unseen_by_workspace[workspaceId] = (counts.unseen_by_workspace[workspaceId] ?? 0) + 1;
    }
  }
  return counts;
}

/** What a client that applies every stream event in order believes, by notification id. */
function streamView(stream: StreamClient) {
  const view = new Map<string, any>();
  for (const event of stream.events) {
    if (event.type === 'notification.created') view.set(event.data.id, event.data);
    if (event.type === 'notification.updated') view.set(event.data.id, { ...view.get(event.data.id), ...event.data });
  }
  return view;
}

const VIEWED_FIELDS = ['read_at', 'archived_at', 'seen_at', 'snoozed_until', 'title', 'body', 'meta', 'created_at'] as const;

class Batch implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ops: Op[]) {}

  check() {
    return true;
  }

  async run(model: Model, real: Real) {
    model.step++;
    const ordered = sortedByBorn(model);
    const seenLeads = new Set<number>();
    const resolved: Resolved[] = [];
    for (const op of this.ops) {
      if (op.kind === 'patch') {
        if (ordered.length === 0) continue;
        resolved.push({ ...op, target: ordered[op.pick % ordered.length]!.id });
      } else if (op.kind === 'repeat') {
        // One repeat per group and batch: two would race for the group's lock, and "latest"
        // is by the time each transaction began, not the order they committed in.
        if (seenLeads.has(op.lead)) continue;
        seenLeads.add(op.lead);
        resolved.push({ ...op });
      } else resolved.push({ ...op });
    }

    const settled = await Promise.allSettled(resolved.map((op) => bounded(execute(op, real), describeOp(op))));
    const failures = settled.flatMap((outcome, index) =>
      outcome.status === 'rejected'
        ? [`${describeOp(resolved[index]!)} threw ${outcome.reason}`]
        : outcome.value.status >= 300
          ? [`${describeOp(resolved[index]!)} answered ${outcome.value.status} ${JSON.stringify(outcome.value.body)}`]
          : [],
    );
    if (failures.length) throw new Error(`step ${model.step}: ${failures.join('; ')}`);
    settled.forEach((outcome, index) => (resolved[index]!.result = (outcome as PromiseFulfilledResult<{ status: number; body: any }>).value));

    const [listed, archived, count] = await Promise.all([
      real.api.get('/api/notifications?limit=100', real.token),
      real.api.get('/api/notifications?limit=100&archived=true', real.token),
      real.api.get('/api/notifications/unread-count', real.token),
    ]);
    for (const response of [listed, archived, count]) expect(response.status).toBe(200);
    const items = [...listed.body.items, ...archived.body.items] as any[];
    const observed = JSON.stringify(sortedById(items).map((item) => ({ id: item.id, ...projectItem(item, real) })));

    // Some serial order of the batch explains every answer and the resulting state.
    let adopted: Model | undefined;
    const rejected: string[] = [];
    for (const order of permutations(resolved)) {
      const candidate = cloneModel(model);
      const problem = order.map((op) => apply(candidate, op, real)).find((reason) => reason !== undefined);
      const state = JSON.stringify(sortedById([...candidate.notes.values()]).map((note) => ({ id: note.id, ...projectNote(note) })));
      if (problem === undefined && state === observed) {
        adopted = candidate;
        break;
      }
      rejected.push(`${order.map(describeOp).join(' → ')}: ${problem ?? `state ${state}`}`);
    }
    expect(adopted, `step ${model.step}: no serial order of the batch explains the server.\nserver: ${observed}\n${rejected.join('\n')}`).toBeDefined();
    model.notes = adopted!.notes;
    model.clock = adopted!.clock;

    // Titles follow the group's count.
    for (const item of items) {
      const lead = real.leads.find((candidate) => candidate.id === item.meta.lead_id);
      if (!lead) continue;
      const n = item.meta.count as number;
      expect(item.title).toBe(n > 1 ? `${n} new replies from ${lead.name}` : `New reply from ${lead.name}`);
    }
    // Newest first: whatever a later batch created or collapsed into is above the rest.
    const steps = (listed.body.items as any[]).map((item) => model.notes.get(item.id)!.step);
    expect(steps, 'list order by batch').toEqual([...steps].sort((a, b) => b - a));
    expect(count.body).toEqual(expectedCounts(model, real));

    // The stream's view settles on the same state, in gapless order, with no resync.
    await eventually(
      () => {
        const view = streamView(real.stream);
        const last = real.stream.of('unread_count').at(-1)?.data;
        const agrees =
          view.size === items.length &&
          items.every((item) => VIEWED_FIELDS.every((field) => JSON.stringify(view.get(item.id)?.[field]) === JSON.stringify(item[field]))) &&
          JSON.stringify(last) === JSON.stringify(count.body);
        return agrees ? true : undefined;
      },
      `step ${model.step}: the stream to agree with the list ${JSON.stringify(items)} and count ${JSON.stringify(count.body)}; ` +
        `it shows ${JSON.stringify([...streamView(real.stream).values()])}, last count ${JSON.stringify(real.stream.of('unread_count').at(-1)?.data)}`,
      5_000,
    );
    // Notification events are numbered without gaps (unread_count repeats the last number).
    const ids = real.stream.events.filter((event) => event.type.startsWith('notification.')).map((event) => Number(event.id));
    expect(ids, 'stream ids').toEqual(ids.map((_, index) => ids[0]! + index));
    expect(real.stream.of('resync')).toEqual([]);
    expect(real.stream.opens).toBe(1);
  }

  toString() {
    return `batch(${this.ops.map((op) => describeOp(op)).join(', ')})`;
  }
}

function sortedByBorn(model: Model) {
  return [...model.notes.values()].sort((a, b) => a.born - b.born);
}

function describeOp(op: Resolved | Op) {
  switch (op.kind) {
    case 'create':
      return `create(${op.workspace}${op.personal ? '' : ', workspace-level'})`;
    case 'repeat':
      return `repeat(lead ${op.lead})`;
    case 'patch':
      return `${op.change}(#${op.pick}${'target' in op && op.target ? ` ${op.target.slice(0, 8)}` : ''})`;
    case 'markAllRead':
      return `markAllRead(${op.workspace ?? 'all'})`;
    case 'markAllSeen':
      return 'markAllSeen';
  }
}

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.oneof(
      fc.record({ kind: fc.constant('create' as const), workspace: fc.constantFrom<WorkspaceName>('acme', 'globex'), personal: fc.constant(true) }),
      fc.record({ kind: fc.constant('create' as const), workspace: fc.constant<WorkspaceName>('globex'), personal: fc.constant(false) }),
    ),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('repeat' as const), lead: fc.integer({ min: 0, max: 2 }) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('patch' as const),
      pick: fc.nat({ max: 31 }),
      change: fc.constantFrom<Change>('read', 'unread', 'archive', 'unarchive'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      { kind: fc.constant('markAllRead' as const), workspace: fc.constantFrom<WorkspaceName>('acme', 'globex') },
      { requiredKeys: ['kind'] },
    ),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('markAllSeen' as const) }) },
);

const batchArbitrary = fc.array(opArbitrary, { minLength: 1, maxLength: 4 }).map((ops) => new Batch(ops));

describe('the inbox against its model', () => {
  it('list, unread count and a live stream equal the model after every concurrent batch', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.commands([batchArbitrary], { maxCommands: 8 }), async (commands) => {
        runs++;
        const real = await startRun();
        try {
          await fc.asyncModelRun(() => ({ model: { notes: new Map(), step: 0, clock: 0 }, real }), commands);
        } finally {
          real.stream.close();
        }
      }),
      { numRuns: 20 },
    );
    expect(runs).toBeGreaterThanOrEqual(20);
  }, 300_000);
});
