/**
 * `npm run simulate`: demo traffic against a running server, so the desktop app and the
 * activity views can be watched alive. Logs in through the API as the demo users and keeps
 * driving every flow (leads, emails, lists, tasks, campaigns, replies, playbooks, jobs,
 * integration events) at a bounded rate, one request at a time. Ctrl-C stops it.
 *
 *   BASE_URL  server to drive (default http://localhost:$PORT, the port the server was started on, else 3000)
 *   RATE      actions per second (default 1, at most 20)
 */
import { DEMO_PASSWORD } from '../src/seed/demo-data.ts';

const BASE_URL = (process.env.BASE_URL || `http://localhost:${process.env.PORT || 3000}`).replace(/\/$/, '');
const RATE = Math.min(20, Math.max(0.1, Number(process.env.RATE) || 1));

const WORKSPACES = {
  acme: ['admin@acme.test', 'ops@acme.test', 'rep@acme.test'],
  globex: ['admin@globex.test', 'rep@globex.test'],
};
const FIRST = ['Maya', 'Liam', 'Noah', 'Emma', 'Olivia', 'Lucas', 'Sofia', 'Ethan', 'Chloe', 'Mateo', 'Aria', 'Leo'];
const LAST = ['Chen', 'Patel', 'Garcia', 'Müller', 'Okafor', 'Rossi', 'Kim', 'Novak', 'Silva', 'Dubois', 'Berg'];
const COMPANIES = ['northwind', 'initech', 'hooli', 'vandelay', 'soylent', 'wonka'];
const TASKS = ['Call back about pricing', 'Send case study', 'Prepare demo', 'Follow up on proposal', 'Book intro meeting'];
const CAMPAIGNS = ['Q4 CFO outreach', 'Webinar follow-up', 'Series B founders', 'Re-engage closed-lost'];
const PLAYBOOKS = ['LinkedIn → Campaign', 'Inbound lead enrichment', 'Event attendee import'];
const LISTS = ['Hot accounts', 'EMEA mid-market', 'Trial sign-ups'];
const SUBJECTS = ['Re: quick question', 'Re: pricing', 'Re: intro call next week?', 'Re: case study'];
const FAILURES = ['LinkedIn session expired', 'invalid email column', 'rate limited by provider', 'file is empty'];

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const chance = (p: number) => Math.random() < p;

interface User {
  email: string;
  name: string;
  id: string;
  token: string;
}

interface Workspace {
  key: string;
  users: User[];
  apiKey: string;
  apiKeyId: string;
  memberIds: string[];
  leads: { id: string; name: string; hasEmail: boolean }[];
  lists: string[];
  openTasks: { id: string; assignee: string; creator: string }[];
  campaigns: { id: string; leadIds: string[] }[];
  runningRuns: string[];
  runningJobs: string[];
}

class HttpError extends Error {}

async function call<T = any>(method: string, path: string, options: { token?: string; apiKey?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.apiKey) headers['x-api-key'] = options.apiKey;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(BASE_URL + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  if (!response.ok) throw new HttpError(`${method} ${path} → ${response.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

async function setUp(): Promise<Workspace[]> {
  const workspaces: Workspace[] = [];
  for (const [key, emails] of Object.entries(WORKSPACES)) {
    const users: User[] = [];
    for (const email of emails) {
      const session = await call('POST', '/api/auth/login', { body: { email, password: DEMO_PASSWORD } });
      users.push({ email, name: session.user.name, id: session.user.id, token: session.token });
    }
    const admin = users[0]!;
    const members = await call('GET', '/api/workspace/members', { token: admin.token });
    // The email-sync service and other integrations call with a workspace key.
    const apiKey = await call('POST', '/api/api-keys', { token: admin.token, body: { name: `simulate ${new Date().toISOString()}` } });
    workspaces.push({
      key,
      users,
      apiKey: apiKey.key,
      apiKeyId: apiKey.id,
      memberIds: members.items.map((member: { user_id: string }) => member.user_id),
      leads: [],
      lists: [],
      openTasks: [],
      campaigns: [],
      runningRuns: [],
      runningJobs: [],
    });
  }
  return workspaces;
}

type Action = (ws: Workspace, user: User) => Promise<string | null>;

const actions: [weight: number, Action][] = [
  [4, async (ws, user) => {
    const name = `${pick(FIRST)} ${pick(LAST)}`;
    const withEmail = chance(0.6);
    const lead = await call('POST', '/api/leads', {
      token: user.token,
      body: { name, ...(withEmail ? { email: `${name.split(' ')[0]!.toLowerCase()}@${pick(COMPANIES)}.test` } : {}) },
    });
    ws.leads.push({ id: lead.id, name, hasEmail: withEmail });
    return `created lead ${name}`;
  }],
  [2, async (ws, user) => {
    if (ws.leads.length === 0) return null;
    const lead = pick(ws.leads);
    const status = pick(['contacted', 'qualified', 'disqualified']);
    await call('PATCH', `/api/leads/${lead.id}`, { token: user.token, body: { status, stage: pick(['Discovery', 'Demo', 'Proposal']) } });
    return `updated ${lead.name}: ${status}`;
  }],
  [2, async (ws, user) => {
    const lead = ws.leads.find((candidate) => !candidate.hasEmail);
    if (!lead) return null;
    const email = `${lead.name.split(' ')[0]!.toLowerCase()}@${pick(COMPANIES)}.test`;
    await call('POST', `/api/leads/${lead.id}/email/found`, { token: user.token, body: { email, source: 'enrichment' } });
    lead.hasEmail = true;
    return `found email ${email}`;
  }],
  [2, async (ws, user) => {
    const lead = ws.leads.filter((candidate) => candidate.hasEmail).at(-1);
    if (!lead) return null;
    const result = pick(['deliverable', 'deliverable', 'risky', 'undeliverable']);
    await call('POST', `/api/leads/${lead.id}/email/verified`, { token: user.token, body: { result } });
    return `verified ${lead.name}'s email: ${result}`;
  }],
  [2, async (ws, user) => {
    if (ws.leads.length === 0) return null;
    if (ws.lists.length < LISTS.length) {
      const existing = await call('GET', '/api/lead-lists', { token: user.token });
      ws.lists = existing.items.map((list: { id: string }) => list.id);
      const missing = LISTS.filter((name) => !existing.items.some((list: { name: string }) => list.name === name));
      if (missing.length) ws.lists.push((await call('POST', '/api/lead-lists', { token: user.token, body: { name: missing[0] } })).id);
    }
    const lead = pick(ws.leads);
    const added = await call('POST', `/api/lead-lists/${pick(ws.lists)}/leads`, { token: user.token, body: { lead_id: lead.id } });
    return added.added ? `added ${lead.name} to a list` : null;
  }],
  [4, async (ws, user) => {
    if (ws.leads.length === 0) return null;
    const lead = pick(ws.leads);
    const assignee = pick(ws.memberIds);
    const title = pick(TASKS);
    const task = await call('POST', '/api/tasks', {
      token: user.token,
      body: { lead_id: lead.id, title, assignee_user_id: assignee, due_at: new Date(Date.now() + 86_400_000).toISOString() },
    });
    ws.openTasks.push({ id: task.id, assignee, creator: user.id });
    return `task “${title}” on ${lead.name}`;
  }],
  [3, async (ws) => {
    const task = ws.openTasks.shift();
    if (!task) return null;
    const doer = ws.users.find((candidate) => candidate.id === task.assignee) ?? ws.users[0]!;
    await call('POST', `/api/tasks/${task.id}/complete`, { token: doer.token });
    return `${doer.name} completed a task`;
  }],
  [1, async (ws, user) => {
    if (ws.leads.length < 3) return null;
    const leadIds = [...new Set(Array.from({ length: 5 }, () => pick(ws.leads).id))];
    const campaign = await call('POST', '/api/campaigns', { token: user.token, body: { name: pick(CAMPAIGNS) } });
    await call('POST', `/api/campaigns/${campaign.id}/send`, { token: user.token, body: { lead_ids: leadIds } });
    ws.campaigns.push({ id: campaign.id, leadIds });
    return `sent “${campaign.name}” to ${leadIds.length} leads`;
  }],
  [3, async (ws, user) => {
    const campaign = ws.campaigns.at(-1);
    if (!campaign) return null;
    const outcome = pick(['opened', 'opened', 'replied', 'bounced', 'meeting_booked']);
    await call('POST', `/api/campaigns/${campaign.id}/outcomes`, { token: user.token, body: { lead_id: pick(campaign.leadIds), outcome } });
    return `campaign outcome: ${outcome}`;
  }],
  [3, async (ws) => {
    if (ws.leads.length === 0) return null;
    // Replies cluster on a few leads, so the owner sees them collapse ("3 new replies from …").
    const lead = pick(ws.leads.slice(-3));
    await call('POST', '/api/inbound/replies', { apiKey: ws.apiKey, body: { lead_id: lead.id, subject: pick(SUBJECTS), snippet: 'Thanks, sounds good.' } });
    return `reply from ${lead.name}`;
  }],
  [1, async (ws, user) => {
    const run = await call('POST', '/api/playbook-runs', { token: user.token, body: { playbook_name: pick(PLAYBOOKS) } });
    ws.runningRuns.push(run.id);
    return `started playbook ${run.playbook_name}`;
  }],
  [1, async (ws, user) => {
    const run = ws.runningRuns.shift();
    if (!run) return null;
    if (chance(0.2)) {
      await call('POST', `/api/playbook-runs/${run}/fail`, { token: user.token, body: { error: pick(FAILURES) } });
      return 'playbook failed';
    }
    const done = await call('POST', `/api/playbook-runs/${run}/complete`, { token: user.token, body: { leads_added: 20 + Math.floor(Math.random() * 400) } });
    return `playbook completed (${done.leads_added} leads added)`;
  }],
  [1, async (ws, user) => {
    const job = await call('POST', '/api/jobs', { token: user.token, body: { kind: pick(['csv_import', 'enrichment']), description: `${pick(COMPANIES)}.csv` } });
    ws.runningJobs.push(job.id);
    return `started ${job.kind} job`;
  }],
  [1, async (ws, user) => {
    const job = ws.runningJobs.shift();
    if (!job) return null;
    if (chance(0.25)) {
      await call('POST', `/api/jobs/${job}/fail`, { token: user.token, body: { error: pick(FAILURES) } });
      return 'job failed';
    }
    await call('POST', `/api/jobs/${job}/complete`, { token: user.token, body: { result: `${100 + Math.floor(Math.random() * 900)} rows` } });
    return 'job completed';
  }],
  [1, async (ws) => {
    const events = Array.from({ length: 1 + Math.floor(Math.random() * 5) }, () => ({
      type: 'lead.created',
      summary: `Lead synced from CRM: ${pick(FIRST)} ${pick(LAST)}`,
      entity_type: 'crm_contact',
      entity_id: `crm-${Math.floor(Math.random() * 100_000)}`,
    }));
    await call('POST', '/api/events', { apiKey: ws.apiKey, body: { events } });
    return `integration sent ${events.length} events`;
  }],
];

function pickAction(): Action {
  const total = actions.reduce((sum, [weight]) => sum + weight, 0);
  let roll = Math.random() * total;
  for (const [weight, action] of actions) {
    roll -= weight;
    if (roll < 0) return action;
  }
  return actions[0]![1];
}

async function main() {
  console.log(`simulate: driving ${BASE_URL} at ${RATE} action(s)/s — Ctrl-C to stop`);
  let workspaces: Workspace[];
  try {
    workspaces = await setUp();
  } catch (error) {
    console.error(`Could not log in the demo users at ${BASE_URL}: ${String(error)}\nIs the server running with its demo data (npm start)?`);
    process.exit(1);
  }
  let stopping = false;
  process.on('SIGINT', () => {
    if (stopping) process.exit(130);
    stopping = true;
  });
  let done = 0;
  let failed = 0;
  while (!stopping) {
    const started = Date.now();
    const ws = pick(workspaces);
    const user = pick(ws.users);
    try {
      const what = await pickAction()(ws, user);
      if (what) {
        done += 1;
        console.log(`${new Date().toISOString().slice(11, 19)}  ${ws.key.padEnd(6)} ${user.name.padEnd(11)} ${what}`);
      }
    } catch (error) {
      failed += 1;
      // Conflicts happen (e.g. a task another simulated user completed); only say what failed.
      console.warn(`${new Date().toISOString().slice(11, 19)}  ${ws.key.padEnd(6)} ${error instanceof HttpError ? error.message : String(error)}`);
      if (!(error instanceof HttpError)) await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 / RATE - (Date.now() - started))));
  }
  // The keys were only for this run: revoking them leaves nothing usable behind.
  for (const ws of workspaces) {
    await call('DELETE', `/api/api-keys/${ws.apiKeyId}`, { token: ws.users[0]!.token }).catch(() => {});
  }
  console.log(`\nsimulate: stopped after ${done} actions (${failed} failed requests); its API keys are revoked.`);
}

await main();
