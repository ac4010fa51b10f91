import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../helper.ts';

let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};
type UserKey = keyof World['users'];

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
});
afterAll(() => server.close());

// ---- small factories over the API

async function newLead(as: UserKey, body: Record<string, unknown> = {}) {
  const response = await api.post('/api/leads', { name: 'Maya Chen', email: 'maya@northwind.test', ...body }, tokens[as]);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; name: string; owner_user_id: string };
}

async function newTask(as: UserKey, leadId: string, assignee: UserKey, title = 'Call back about pricing') {
  const response = await api.post(
    '/api/tasks',
    { lead_id: leadId, title, assignee_user_id: world.users[assignee].id },
    tokens[as],
  );
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string };
}

const inbox = async (as: UserKey) => (await api.get('/api/notifications?limit=100', tokens[as])).body.items as any[];

async function activityOf(entityId: string) {
  const response = await api.get(`/api/activity?entity_id=${entityId}&page_size=100`, tokens.acmeAdmin);
  return response.body.items as any[];
}

describe('leads', () => {
  it('creates a lead, owned by the caller unless told otherwise, and records lead.created', async () => {
    const response = await api.post('/api/leads', { name: 'Liam Patel', email: 'liam@initech.test' }, tokens.acmeMember);
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      workspace_id: world.acme.id,
      name: 'Liam Patel',
      email: 'liam@initech.test',
      email_status: 'found',
      owner_user_id: world.users.acmeMember.id,
      status: 'new',
      stage: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const [entry] = await activityOf(response.body.id);
    expect(entry).toMatchObject({
      type: 'lead.created',
      actor_user_id: world.users.acmeMember.id,
      entity_type: 'lead',
      summary: 'acme-member created lead Liam Patel',
      severity: 'info',
    });

    const owned = await newLead('acmeMember', { owner_user_id: world.users.acmeAdmin.id });
    expect(owned.owner_user_id).toBe(world.users.acmeAdmin.id);
  });

  it('refuses bad input with 400 and records nothing', async () => {
    const before = await server.db.lead.count();
    const bad = [
      {},
      { name: '' },
      { name: 'X', email: 'not-an-email' },
      { name: 'X', extra: 1 },
      { name: 'X', status: 'won' },
      { name: 'X', owner_user_id: world.users.globexMember.id },
    ];
    for (const body of bad) {
      const response = await api.post('/api/leads', body, tokens.acmeMember);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(response.body).sort()).toEqual(['error', 'message']);
    }
    expect(await server.db.lead.count()).toBe(before);
  });

  it('updates a lead and records each changed field old → new; an unchanged value records nothing', async () => {
    const lead = await newLead('acmeMember');
    const response = await api.patch(
      `/api/leads/${lead.id}`,
      { status: 'qualified', stage: 'Discovery', name: 'Maya Chen', owner_user_id: world.users.acmeAdmin2.id },
      tokens.acmeMember,
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'qualified', stage: 'Discovery', owner_user_id: world.users.acmeAdmin2.id });
    const [updated] = (await activityOf(lead.id)).filter((entry) => entry.type === 'lead.updated');
    expect(updated.meta).toEqual({
      changes: {
        status: { from: 'new', to: 'qualified' },
        stage: { from: null, to: 'Discovery' },
        owner_user_id: { from: world.users.acmeMember.id, to: world.users.acmeAdmin2.id },
      },
    });
    expect(updated.summary).toBe('acme-member updated Maya Chen: owner_user_id, status, stage');

    await api.patch(`/api/leads/${lead.id}`, { status: 'qualified' }, tokens.acmeMember);
    expect((await activityOf(lead.id)).filter((entry) => entry.type === 'lead.updated')).toHaveLength(1);
    expect((await api.patch(`/api/leads/${lead.id}`, {}, tokens.acmeMember)).status).toBe(400);
  });

  it('records an email found, then verified', async () => {
    const lead = await newLead('acmeMember', { email: undefined });
    const found = await api.post(`/api/leads/${lead.id}/email/found`, { email: 'maya@hooli.test', source: 'enrichment' }, tokens.acmeMember);
    expect(found.body).toMatchObject({ email: 'maya@hooli.test', email_status: 'found' });
    const verified = await api.post(`/api/leads/${lead.id}/email/verified`, { result: 'undeliverable' }, tokens.acmeMember);
    expect(verified.body).toMatchObject({ email_status: 'invalid' });
    const entries = await activityOf(lead.id);
    expect(entries.map((entry) => [entry.type, entry.severity, entry.meta])).toEqual([
      ['email.verified', 'warning', { email: 'maya@hooli.test', result: 'undeliverable' }],
      ['email.found', 'info', { email: 'maya@hooli.test', previous_email: null, source: 'enrichment' }],
      ['lead.created', 'info', expect.any(Object)],
    ]);

    const noEmail = await newLead('acmeMember', { email: undefined });
    const refused = await api.post(`/api/leads/${noEmail.id}/email/verified`, { result: 'deliverable' }, tokens.acmeMember);
    expect(refused.status).toBe(409);
  });

  it('adds a lead to a list once', async () => {
    const lead = await newLead('acmeMember');
    const list = await api.post('/api/lead-lists', { name: 'Hot accounts' }, tokens.acmeMember);
    expect(list.status).toBe(201);
    expect((await api.post('/api/lead-lists', { name: 'Hot accounts' }, tokens.acmeAdmin)).status).toBe(409);
    const added = await api.post(`/api/lead-lists/${list.body.id}/leads`, { lead_id: lead.id }, tokens.acmeMember);
    expect(added.body).toEqual({ list_id: list.body.id, lead_id: lead.id, added: true });
    const again = await api.post(`/api/lead-lists/${list.body.id}/leads`, { lead_id: lead.id }, tokens.acmeMember);
    expect(again.body.added).toBe(false);
    const entries = (await activityOf(lead.id)).filter((entry) => entry.type === 'lead.added_to_list');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ summary: 'Maya Chen added to list “Hot accounts”', meta: { list_id: list.body.id, list: 'Hot accounts' } });
    expect((await api.get('/api/lead-lists', tokens.acmeMember)).body.items.map((item: any) => item.name)).toContain('Hot accounts');
    expect((await api.get('/api/lead-lists', tokens.globexMember)).body.items).toEqual([]);
  });

  it("answers 404 for another workspace's leads and lists, and changes nothing", async () => {
    const lead = await newLead('acmeMember');
    const list = (await api.post('/api/lead-lists', { name: 'Acme only' }, tokens.acmeMember)).body;
    const attempts = [
      api.get(`/api/leads/${lead.id}`, tokens.globexAdmin),
      api.patch(`/api/leads/${lead.id}`, { name: 'Hijacked' }, tokens.globexAdmin),
      api.post(`/api/leads/${lead.id}/email/found`, { email: 'x@y.test' }, tokens.globexAdmin),
      api.post(`/api/leads/${lead.id}/email/verified`, { result: 'deliverable' }, tokens.globexAdmin),
      api.post(`/api/lead-lists/${list.id}/leads`, { lead_id: lead.id }, tokens.globexAdmin),
      api.post('/api/tasks', { lead_id: lead.id, title: 'x', assignee_user_id: world.users.globexMember.id }, tokens.globexAdmin),
    ];
    for (const response of await Promise.all(attempts)) expect(response.status).toBe(404);
    expect((await api.get(`/api/leads/${lead.id}`, tokens.acmeMember)).body.name).toBe('Maya Chen');
    expect(await activityOf(lead.id)).toHaveLength(1);
  });
});

describe('tasks', () => {
  it('notifies the assignee with a personal task_assigned pointing at the lead’s tasks', async () => {
    const lead = await newLead('acmeAdmin');
    const response = await api.post(
      '/api/tasks',
      { lead_id: lead.id, title: 'Send case study', assignee_user_id: world.users.acmeMember.id, due_at: '2026-12-01T09:00:00.000Z' },
      tokens.acmeAdmin,
    );
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      lead_id: lead.id,
      title: 'Send case study',
      assignee_user_id: world.users.acmeMember.id,
      creator_user_id: world.users.acmeAdmin.id,
      due_at: '2026-12-01T09:00:00.000Z',
      completed_at: null,
    });
    const [notification] = (await inbox('acmeMember')).filter((item) => item.meta.task_id === response.body.id);
    expect(notification).toEqual({
      id: expect.any(String),
      workspace_id: world.acme.id,
      user_id: world.users.acmeMember.id,
      type: 'task_assigned',
      title: 'New task assigned',
      body: 'Send case study — Maya Chen (from acme-admin)',
      target_url: `/leads/${lead.id}?tab=tasks`,
      meta: { task_id: response.body.id, lead_id: lead.id, due_at: '2026-12-01T09:00:00.000Z' },
      read_at: null,
      archived_at: null,
      seen_at: null,
      snoozed_until: null,
      reason: 'You were assigned this task',
      created_at: expect.any(String),
    });
    // Personal: nobody else gets it, admins included.
    expect((await inbox('acmeAdmin2')).some((item) => item.meta.task_id === response.body.id)).toBe(false);
    const [entry] = (await activityOf(response.body.id));
    expect(entry).toMatchObject({
      type: 'task.created',
      actor_user_id: world.users.acmeAdmin.id,
      summary: 'acme-admin created task “Send case study” for Maya Chen, assigned to acme-member',
      meta: { lead_id: lead.id, assignee_user_id: world.users.acmeMember.id },
    });
  });

  it('does not notify someone who assigned the task to themselves', async () => {
    const lead = await newLead('acmeMember');
    const task = await newTask('acmeMember', lead.id, 'acmeMember');
    expect((await inbox('acmeMember')).some((item) => item.meta.task_id === task.id)).toBe(false);
    expect((await activityOf(task.id)).map((entry) => entry.type)).toEqual(['task.created']);
  });

  it('refuses an assignee outside the workspace', async () => {
    const lead = await newLead('acmeAdmin');
    const response = await api.post(
      '/api/tasks',
      { lead_id: lead.id, title: 'x', assignee_user_id: world.users.globexMember.id },
      tokens.acmeAdmin,
    );
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('not_a_member');
    expect(await server.db.task.count({ where: { leadId: lead.id } })).toBe(0);
  });

  it('completes a task: the creator is notified; others cannot; twice is 409', async () => {
    const lead = await newLead('acmeAdmin');
    const task = await newTask('acmeAdmin', lead.id, 'acmeMember', 'Prepare demo');
    expect((await api.post(`/api/tasks/${task.id}/complete`, undefined, tokens.both)).status).toBe(403);
    expect((await api.post(`/api/tasks/${task.id}/complete`, undefined, tokens.globexAdmin)).status).toBe(404);

    const done = await api.post(`/api/tasks/${task.id}/complete`, undefined, tokens.acmeMember);
    expect(done.status).toBe(200);
    expect(done.body.completed_at).toEqual(expect.any(String));
    const [notification] = (await inbox('acmeAdmin')).filter((item) => item.type === 'task_completed' && item.meta.task_id === task.id);
    expect(notification).toMatchObject({
      user_id: world.users.acmeAdmin.id,
      title: 'Task completed',
      body: 'acme-member completed “Prepare demo” — Maya Chen',
      target_url: `/leads/${lead.id}?tab=tasks`,
      meta: { task_id: task.id, lead_id: lead.id },
    });
    expect((await activityOf(task.id))[0]).toMatchObject({ type: 'task.completed', actor_user_id: world.users.acmeMember.id });

    const again = await api.post(`/api/tasks/${task.id}/complete`, undefined, tokens.acmeAdmin);
    expect(again.status).toBe(409);
    expect((await inbox('acmeAdmin')).filter((item) => item.meta.task_id === task.id)).toHaveLength(1);
  });
});

describe('campaigns', () => {
  it('sends once, records outcomes, and tells the owner about replies and meetings only', async () => {
    const leads = [await newLead('acmeMember', { name: 'Noah Kim' }), await newLead('acmeMember', { name: 'Emma Rossi' })];
    const created = await api.post('/api/campaigns', { name: 'Q4 CFO outreach', owner_user_id: world.users.acmeAdmin2.id }, tokens.acmeMember);
    expect(created.status).toBe(201);
    const id = created.body.id;
    const sent = await api.post(`/api/campaigns/${id}/send`, { lead_ids: leads.map((lead) => lead.id) }, tokens.acmeMember);
    expect(sent.body).toMatchObject({ recipient_count: 2, sent_at: expect.any(String), owner_user_id: world.users.acmeAdmin2.id });
    expect((await api.post(`/api/campaigns/${id}/send`, { lead_ids: [leads[0]!.id] }, tokens.acmeMember)).status).toBe(409);
    const [sentEntry] = await activityOf(id);
    expect(sentEntry).toMatchObject({ type: 'campaign.sent', meta: { campaign: 'Q4 CFO outreach', recipients: 2 } });

    for (const outcome of ['opened', 'bounced', 'replied', 'meeting_booked']) {
      const response = await api.post(`/api/campaigns/${id}/outcomes`, { lead_id: leads[0]!.id, outcome }, tokens.acmeMember);
      expect(response.status).toBe(200);
    }
    const outcomes = (await activityOf(leads[0]!.id)).filter((entry) => entry.type === 'campaign.outcome');
    expect(outcomes.map((entry) => [entry.meta.outcome, entry.severity])).toEqual([
      ['meeting_booked', 'info'],
      ['replied', 'info'],
      ['bounced', 'warning'],
      ['opened', 'info'],
    ]);
    const notifications = (await inbox('acmeAdmin2')).filter((item) => item.type === 'campaign_outcome');
    expect(notifications.map((item) => [item.title, item.body, item.target_url, item.meta])).toEqual([
      ['Meeting booked with Noah Kim', 'Campaign “Q4 CFO outreach”', `/leads/${leads[0]!.id}`, { campaign_id: id, lead_id: leads[0]!.id, outcome: 'meeting_booked' }],
      ['Noah Kim replied', 'Campaign “Q4 CFO outreach”', `/leads/${leads[0]!.id}`, { campaign_id: id, lead_id: leads[0]!.id, outcome: 'replied' }],
    ]);

    const stranger = await newLead('acmeMember', { name: 'Not sent' });
    expect((await api.post(`/api/campaigns/${id}/outcomes`, { lead_id: stranger.id, outcome: 'opened' }, tokens.acmeMember)).status).toBe(404);
    expect((await api.post(`/api/campaigns/${id}/outcomes`, { lead_id: leads[1]!.id, outcome: 'opened' }, tokens.globexAdmin)).status).toBe(404);
    expect((await api.post(`/api/campaigns/${id}/outcomes`, { lead_id: leads[1]!.id, outcome: 'won' }, tokens.acmeMember)).status).toBe(400);
  });
});

describe('playbooks and jobs', () => {
  it('a completed run tells the workspace’s admins “… completed (243 leads added)”', async () => {
    const started = await api.post('/api/playbook-runs', { playbook_name: 'LinkedIn → Campaign' }, tokens.acmeMember);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ status: 'running', job_id: expect.any(String) });
    const done = await api.post(`/api/playbook-runs/${started.body.id}/complete`, { leads_added: 243, leads_skipped: 7 }, tokens.acmeMember);
    expect(done.body).toMatchObject({ status: 'completed', leads_added: 243, leads_skipped: 7 });
    expect((await api.post(`/api/playbook-runs/${started.body.id}/fail`, { error: 'late' }, tokens.acmeMember)).status).toBe(409);

    const entries = await activityOf(started.body.id);
    expect(entries.map((entry) => entry.type)).toEqual(['playbook.completed', 'playbook.run']);
    expect(entries[0]).toMatchObject({
      summary: 'Playbook “LinkedIn → Campaign” completed (243 leads added)',
      meta: { leads_added: 243, leads_skipped: 7, job_id: started.body.job_id },
    });
    for (const admin of ['acmeAdmin', 'acmeAdmin2'] as const) {
      const [notification] = (await inbox(admin)).filter((item) => item.meta.playbook_run_id === started.body.id);
      expect(notification).toMatchObject({
        user_id: null,
        type: 'playbook_completed',
        title: 'Playbook completed',
        body: 'LinkedIn → Campaign completed (243 leads added)',
        target_url: `/playbooks/runs/${started.body.id}`,
        meta: { playbook_run_id: started.body.id, leads_added: 243 },
      });
    }
    expect((await inbox('acmeMember')).some((item) => item.meta.playbook_run_id === started.body.id)).toBe(false);
    expect((await inbox('globexAdmin')).some((item) => item.meta.playbook_run_id === started.body.id)).toBe(false);
    // The run's job is finished through the run, not on its own.
    expect((await api.post(`/api/jobs/${started.body.job_id}/complete`, null, tokens.acmeMember)).status).toBe(409);
  });

  it('a failed run is critical and tells the admins', async () => {
    const started = await api.post('/api/playbook-runs', { playbook_name: 'Event attendee import' }, tokens.acmeMember);
    const failed = await api.post(`/api/playbook-runs/${started.body.id}/fail`, { error: 'LinkedIn session expired' }, tokens.acmeMember);
    expect(failed.body).toMatchObject({ status: 'failed', error: 'LinkedIn session expired' });
    const [entry] = await activityOf(started.body.id);
    expect(entry).toMatchObject({ type: 'playbook.failed', severity: 'critical' });
    const [notification] = (await inbox('acmeAdmin')).filter((item) => item.meta.playbook_run_id === started.body.id);
    expect(notification).toMatchObject({
      type: 'playbook_failed',
      title: 'Playbook failed',
      body: 'Event attendee import failed: LinkedIn session expired',
    });
  });

  it('jobs: created and completed are recorded; failures are critical and collapse per kind while unread', async () => {
    const job = (await api.post('/api/jobs', { kind: 'csv_import', description: 'northwind.csv' }, tokens.acmeMember)).body;
    expect(job).toMatchObject({ kind: 'csv_import', status: 'running' });
    await api.post(`/api/jobs/${job.id}/complete`, { result: '812 rows' }, tokens.acmeMember);
    expect((await activityOf(job.id)).map((entry) => [entry.type, entry.summary])).toEqual([
      ['job.completed', 'csv_import job finished: 812 rows'],
      ['job.created', 'acme-member started a csv_import job: northwind.csv'],
    ]);

    const failing = [];
    for (const error of ['invalid email column', 'file is empty']) {
      const started = (await api.post('/api/jobs', { kind: 'enrichment' }, tokens.acmeMember)).body;
      const failed = await api.post(`/api/jobs/${started.id}/fail`, { error }, tokens.acmeMember);
      expect(failed.body.status).toBe('failed');
      failing.push(started.id);
    }
    for (const id of failing) expect((await activityOf(id))[0]).toMatchObject({ type: 'job.failed', severity: 'critical' });
    const notifications = (await inbox('acmeAdmin')).filter((item) => item.type === 'job_failed');
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({
      user_id: null,
      title: '2 enrichment jobs failed',
      body: 'Latest: file is empty',
      target_url: `/jobs/${failing[1]}`,
      meta: { job_id: failing[1], kind: 'enrichment', count: 2 },
    });

    // Once an admin has read it, the next failure is news again: a new notification.
    await api.patch(`/api/notifications/${notifications[0].id}`, { read: true }, tokens.acmeAdmin);
    const third = (await api.post('/api/jobs', { kind: 'enrichment' }, tokens.acmeMember)).body;
    await api.post(`/api/jobs/${third.id}/fail`, { error: 'timeout' }, tokens.acmeMember);
    const after = (await inbox('acmeAdmin2')).filter((item) => item.type === 'job_failed');
    expect(after.map((item) => [item.title, item.meta.count])).toEqual([
      ['Job failed: enrichment', 1],
      ['2 enrichment jobs failed', 2],
    ]);
  });
});

describe('transactionality', () => {
  // Makes every notification insert fail inside the database, so a flow dies after its
  // domain rows and activity were written: none of them may survive.
  async function withFailingNotifications(work: () => Promise<void>) {
    await server.db.$executeRawUnsafe(
      `CREATE OR REPLACE FUNCTION test_fail() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql`,
    );
    await server.db.$executeRawUnsafe('CREATE TRIGGER test_fail BEFORE INSERT OR UPDATE ON notifications FOR EACH ROW EXECUTE FUNCTION test_fail()');
    try {
      await work();
    } finally {
      await server.db.$executeRawUnsafe('DROP TRIGGER test_fail ON notifications');
    }
  }

  const counts = async () => ({
    activities: await server.db.activity.count(),
    notifications: await server.db.notification.count(),
    receipts: await server.db.notificationReceipt.count(),
    tasks: await server.db.task.count(),
    completedTasks: await server.db.task.count({ where: { completedAt: { not: null } } }),
    runs: await server.db.playbookRun.count({ where: { status: 'running' } }),
    jobs: await server.db.job.count({ where: { status: 'running' } }),
    outcomes: await server.db.campaignLead.count({ where: { outcome: { not: null } } }),
  });

  it('a flow whose notification fails leaves no domain change, no activity and no notification', async () => {
    const lead = await newLead('acmeAdmin');
    const task = await newTask('acmeAdmin', lead.id, 'acmeMember');
    const run = (await api.post('/api/playbook-runs', { playbook_name: 'Inbound lead enrichment' }, tokens.acmeMember)).body;
    const run2 = (await api.post('/api/playbook-runs', { playbook_name: 'Inbound lead enrichment' }, tokens.acmeMember)).body;
    const job = (await api.post('/api/jobs', { kind: 'csv_import' }, tokens.acmeMember)).body;
    const campaign = (await api.post('/api/campaigns', { name: 'Webinar follow-up' }, tokens.acmeAdmin)).body;
    await api.post(`/api/campaigns/${campaign.id}/send`, { lead_ids: [lead.id] }, tokens.acmeAdmin);

    const flows: [string, () => Promise<{ status: number }>][] = [
      ['create task', () => api.post('/api/tasks', { lead_id: lead.id, title: 'x', assignee_user_id: world.users.acmeMember.id }, tokens.acmeAdmin)],
      ['complete task', () => api.post(`/api/tasks/${task.id}/complete`, undefined, tokens.acmeMember)],
      ['campaign reply', () => api.post(`/api/campaigns/${campaign.id}/outcomes`, { lead_id: lead.id, outcome: 'replied' }, tokens.acmeMember)],
      ['complete playbook', () => api.post(`/api/playbook-runs/${run.id}/complete`, { leads_added: 3 }, tokens.acmeMember)],
      ['fail playbook', () => api.post(`/api/playbook-runs/${run2.id}/fail`, { error: 'x' }, tokens.acmeMember)],
      ['fail job', () => api.post(`/api/jobs/${job.id}/fail`, { error: 'x' }, tokens.acmeMember)],
    ];
    const before = await counts();
    await withFailingNotifications(async () => {
      for (const [name, flow] of flows) expect((await flow()).status, name).toBe(500);
    });
    expect(await counts()).toEqual(before);

    // Without the failure the same calls go through: the failure was the only reason.
    for (const [name, flow] of flows) expect((await flow()).status, name).toBeLessThan(300);
  });
});

describe('tenant isolation', () => {
  it("another workspace's tasks, campaigns, jobs and runs are 404 and stay untouched", async () => {
    const lead = await newLead('acmeAdmin');
    const task = await newTask('acmeAdmin', lead.id, 'acmeMember');
    const campaign = (await api.post('/api/campaigns', { name: 'Acme only' }, tokens.acmeAdmin)).body;
    const job = (await api.post('/api/jobs', { kind: 'csv_import' }, tokens.acmeAdmin)).body;
    const run = (await api.post('/api/playbook-runs', { playbook_name: 'Acme playbook' }, tokens.acmeAdmin)).body;
    const attempts = [
      api.post(`/api/tasks/${task.id}/complete`, undefined, tokens.globexAdmin),
      api.post(`/api/campaigns/${campaign.id}/send`, { lead_ids: [lead.id] }, tokens.globexAdmin),
      api.post(`/api/jobs/${job.id}/complete`, null, tokens.globexAdmin),
      api.post(`/api/jobs/${job.id}/fail`, { error: 'x' }, tokens.globexAdmin),
      api.post(`/api/playbook-runs/${run.id}/complete`, { leads_added: 1 }, tokens.globexAdmin),
      api.post(`/api/playbook-runs/${run.id}/fail`, { error: 'x' }, tokens.globexAdmin),
    ];
    for (const response of await Promise.all(attempts)) expect(response.status).toBe(404);
    // A Globex lead cannot be sent an Acme campaign either.
    const globexLead = await newLead('globexAdmin');
    expect((await api.post(`/api/campaigns/${campaign.id}/send`, { lead_ids: [globexLead.id] }, tokens.acmeAdmin)).status).toBe(404);

    expect(await server.db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ completedAt: null });
    expect(await server.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({ sentAt: null });
    expect(await server.db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: 'running' });
    expect(await server.db.playbookRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: 'running' });
  });
});

describe('permissions', () => {
  it('every flow endpoint needs a session and a current workspace', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const calls: [string, string, unknown][] = [
      ['POST', '/api/leads', { name: 'x' }],
      ['GET', `/api/leads/${id}`, undefined],
      ['PATCH', `/api/leads/${id}`, { name: 'x' }],
      ['POST', `/api/leads/${id}/email/found`, { email: 'a@b.test' }],
      ['POST', `/api/leads/${id}/email/verified`, { result: 'deliverable' }],
      ['GET', '/api/lead-lists', undefined],
      ['POST', '/api/lead-lists', { name: 'x' }],
      ['POST', `/api/lead-lists/${id}/leads`, { lead_id: id }],
      ['POST', '/api/tasks', { lead_id: id, title: 'x', assignee_user_id: id }],
      ['POST', `/api/tasks/${id}/complete`, undefined],
      ['POST', '/api/campaigns', { name: 'x' }],
      ['POST', `/api/campaigns/${id}/send`, { lead_ids: [id] }],
      ['POST', `/api/campaigns/${id}/outcomes`, { lead_id: id, outcome: 'opened' }],
      ['POST', '/api/jobs', { kind: 'x' }],
      ['POST', `/api/jobs/${id}/complete`, null],
      ['POST', `/api/jobs/${id}/fail`, { error: 'x' }],
      ['POST', '/api/playbook-runs', { playbook_name: 'x' }],
      ['POST', `/api/playbook-runs/${id}/complete`, { leads_added: 1 }],
      ['POST', `/api/playbook-runs/${id}/fail`, { error: 'x' }],
      ['GET', '/api/workspace/members', undefined],
    ];
    for (const [method, path, body] of calls) {
      expect((await api.request(method, path, { body })).status, `${method} ${path}`).toBe(401);
      // The super admin has no workspace of their own.
      expect((await api.request(method, path, { body, token: tokens.superAdmin })).status, `${method} ${path}`).toBe(403);
    }
  });
});
