import type { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNotification } from '../../../../src/services/notifications/create-notification.ts';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';
import { type Mail, startSmtp, textOf, waitForMails } from '../../../smtp.ts';

// Wording people read, and mail links for a server without a host app (no APP_BASE_URL).
let server: TestServer;
let api: ApiClient;
let world: World;
let smtp: SMTPServer;
const mails: Mail[] = [];
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const started = await startSmtp(mails);
  smtp = started.server;
  server = await startTestServer({ smtpUrl: `smtp://127.0.0.1:${started.port}`, emailDigestSeconds: 1, publicUrl: 'http://notify.test' });
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
});
afterAll(async () => {
  await server.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});
beforeEach(async () => {
  await server.db.notification.deleteMany();
  mails.length = 0;
});

describe('mail links without APP_BASE_URL', () => {
  it('point at the notification in the web app, not at a path this server cannot show', async () => {
    const job = (await api.post('/api/jobs', { kind: 'enrichment' }, tokens.acmeMember)).body;
    await api.post(`/api/jobs/${job.id}/fail`, { error: 'disk full' }, tokens.acmeMember);
    const [item] = (await api.get('/api/notifications', tokens.acmeAdmin)).body.items;
    // The API keeps the path (the apps show the item in place).
    expect(item.target_url).toBe(`/jobs/${job.id}`);
    await waitForMails(mails, 2);
    const text = textOf(mails.find((mail) => mail.to[0] === world.users.acmeAdmin.email)!.raw);
    expect(text).toContain(`http://notify.test/#/bell?notification=${item.id}`);
    expect(text).not.toContain(`http://notify.test/jobs/`);
  });
});

describe('the first digest after mail comes back', () => {
  it('leaves out what waited for days and sends what is recent', async () => {
    const old = await createNotification(server.db, { workspaceId: world.acme.id, userId: world.users.acmeMember.id, type: 'task_assigned', title: 'Three days old' });
    await server.db.emailOutbox.create({
      data: { userId: world.users.acmeMember.id, notificationId: old.notification.id, createdAt: new Date(Date.now() - 3 * 86400_000) },
    });
    const fresh = await createNotification(server.db, { workspaceId: world.acme.id, userId: world.users.acmeMember.id, type: 'job_failed', title: 'Just now' });
    expect(fresh.recipients).toEqual([world.users.acmeMember.id]);
    await waitForMails(mails, 1);
    const text = textOf(mails[0]!.raw);
    expect(text).toContain('Just now');
    expect(text).not.toContain('Three days old');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(mails).toHaveLength(1);
    expect(await server.db.emailOutbox.count({ where: { sentAt: null } })).toBe(0);
  });
});

describe('copy', () => {
  it('a failed job without a kind reads "A job failed", not "Job failed: job"', async () => {
    const key = (await api.post('/api/api-keys', { name: 'sync' }, tokens.acmeAdmin)).body.key;
    const sent = await api.request('POST', '/api/events', {
      body: { events: [{ type: 'job.failed', summary: 'Import crashed', entity_type: 'job', entity_id: 'j-1' }] },
      headers: { authorization: `Bearer ${key}` },
    });
    expect(sent.status).toBe(201);
    const [item] = (await api.get('/api/notifications?type=job_failed', tokens.acmeAdmin)).body.items;
    expect(item.title).toBe('A job failed');
    const job = (await api.post('/api/jobs', { kind: 'csv_import' }, tokens.acmeMember)).body;
    await api.post(`/api/jobs/${job.id}/fail`, { error: 'bad column' }, tokens.acmeMember);
    expect((await api.get('/api/notifications?type=job_failed', tokens.acmeAdmin)).body.items[0].title).toBe('Job failed: csv import');
  });

  it('counts read right: "to 1 lead", "1 lead added"', async () => {
    const lead = (await api.post('/api/leads', { name: 'Solo Lead' }, tokens.acmeMember)).body;
    const campaign = (await api.post('/api/campaigns', { name: 'Single' }, tokens.acmeMember)).body;
    await api.post(`/api/campaigns/${campaign.id}/send`, { lead_ids: [lead.id] }, tokens.acmeMember);
    const activity = (await api.get('/api/activity?type=campaign.sent', tokens.acmeMember)).body.items;
    expect(activity[0].summary).toMatch(/to 1 lead$/);

    const run = (await api.post('/api/playbook-runs', { playbook_name: 'Enrich' }, tokens.acmeMember)).body;
    const done = await api.post(`/api/playbook-runs/${run.id}/complete`, { leads_added: 1, leads_skipped: 0 }, tokens.acmeMember);
    expect(done.status).toBe(200);
    const [completed] = (await api.get('/api/notifications?type=playbook_completed', tokens.acmeAdmin)).body.items;
    expect(completed.body).toBe('Enrich completed (1 lead added)');
  });
});
