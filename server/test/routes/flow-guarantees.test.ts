import { describe, expect, it } from 'vitest';
import { api, newLead, newTask, server, tokens, world, setUpFlowWorld } from './flow-fixtures.ts';

setUpFlowWorld();

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
