import type { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { header, type Mail, startSmtp, textOf, waitForMails as waitForMailsIn } from '../../../smtp.ts';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';

let server: TestServer;
let api: ApiClient;
let world: World;
let smtp: SMTPServer;
const tokens: Record<string, string> = {};
const mails: Mail[] = [];

const waitForMails = (count: number) => waitForMailsIn(mails, count);

const DEFAULTS = {
  // No workspace of the user locked a type.
  locks: {},
  muted: false,
  quiet_hours: { enabled: false, start: '22:00', end: '07:00', time_zone: 'UTC' },
  types: {
    task_assigned: { in_app: true, desktop: true, sound: true, email: false },
    task_completed: { in_app: true, desktop: true, sound: false, email: false },
    reply_received: { in_app: true, desktop: true, sound: true, email: false },
    campaign_outcome: { in_app: true, desktop: true, sound: false, email: false },
    playbook_completed: { in_app: true, desktop: true, sound: false, email: false },
    playbook_failed: { in_app: true, desktop: true, sound: true, email: true },
    job_failed: { in_app: true, desktop: true, sound: true, email: true },
    alert_rule_triggered: { in_app: true, desktop: true, sound: true, email: false },
    audit_stream_paused: { in_app: true, desktop: true, sound: true, email: true },
    critical_job_failed: { in_app: true, desktop: true, sound: true, email: false },
    critical_playbook_failed: { in_app: true, desktop: true, sound: true, email: false },
    critical_login_failed: { in_app: true, desktop: true, sound: true, email: false },
    critical_member_change: { in_app: true, desktop: true, sound: true, email: false },
    critical_api_key: { in_app: true, desktop: true, sound: true, email: false },
    critical_other: { in_app: true, desktop: true, sound: true, email: false },
  },
};

const inbox = async (as: string) => (await api.get('/api/notifications?limit=100', tokens[as])).body.items as any[];

async function assignTask(as: string, to: keyof World['users'], title: string) {
  const lead = (await api.post('/api/leads', { name: 'Chloe Dubois' }, tokens[as])).body;
  const task = await api.post('/api/tasks', { lead_id: lead.id, title, assignee_user_id: world.users[to].id }, tokens[as]);
  expect(task.status).toBe(201);
  return { leadId: lead.id as string, taskId: task.body.id as string };
}

async function failJob(kind: string) {
  const job = (await api.post('/api/jobs', { kind }, tokens.acmeMember)).body;
  await api.post(`/api/jobs/${job.id}/fail`, { error: 'disk full' }, tokens.acmeMember);
  return job.id as string;
}

beforeAll(async () => {
  const started = await startSmtp(mails);
  smtp = started.server;
  server = await startTestServer({
    smtpUrl: `smtp://127.0.0.1:${started.port}`,
    emailDigestSeconds: 1,
    publicUrl: 'http://notify.test',
    appBaseUrl: 'http://app.test',
  });
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
});
afterAll(async () => {
  await server.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});
beforeEach(async () => {
  await server.db.notificationPreference.deleteMany();
  await server.db.emailOutbox.deleteMany();
  mails.length = 0;
});

describe('GET/PUT /api/notification-preferences', () => {
  it('starts from the defaults and stores a full replacement; types left out go back to defaults', async () => {
    expect((await api.get('/api/notification-preferences', tokens.acmeMember)).body).toEqual(DEFAULTS);
    const wanted = {
      muted: true,
      quiet_hours: { enabled: true, start: '21:30', end: '06:45', time_zone: 'Europe/Berlin' },
      types: { reply_received: { in_app: true, desktop: false, sound: false, email: true } },
    };
    const put = await api.put('/api/notification-preferences', wanted, tokens.acmeMember);
    expect(put.status).toBe(200);
    const expected = { ...DEFAULTS, muted: true, quiet_hours: wanted.quiet_hours, types: { ...DEFAULTS.types, ...wanted.types } };
    expect(put.body).toEqual(expected);
    expect((await api.get('/api/notification-preferences', tokens.acmeMember)).body).toEqual(expected);
    // Per user: nobody else's changed.
    expect((await api.get('/api/notification-preferences', tokens.acmeAdmin)).body).toEqual(DEFAULTS);
  });

  it('refuses malformed preferences with 400', async () => {
    const valid = { muted: false, quiet_hours: DEFAULTS.quiet_hours, types: {} };
    const bad = [
      { ...valid, muted: undefined },
      { ...valid, quiet_hours: { ...DEFAULTS.quiet_hours, start: '24:00' } },
      { ...valid, quiet_hours: { ...DEFAULTS.quiet_hours, time_zone: 'Mars/Olympus' } },
      { ...valid, types: { lead_created: DEFAULTS.types.job_failed } },
      { ...valid, types: { job_failed: { in_app: true, desktop: true, sound: true } } },
      { ...valid, types: { job_failed: { ...DEFAULTS.types.job_failed, push: true } } },
      { ...valid, theme: 'dark' },
    ];
    for (const body of bad) {
      const response = await api.put('/api/notification-preferences', body, tokens.acmeMember);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error).toBe('invalid_request');
    }
    expect((await api.get('/api/notification-preferences', tokens.acmeMember)).body).toEqual(DEFAULTS);
    expect((await api.get('/api/notification-preferences')).status).toBe(401);
  });

  it('in-app off: that user gets no notification of the type; others and the activity are unaffected', async () => {
    await api.put(
      '/api/notification-preferences',
      { ...DEFAULTS, types: { task_assigned: { in_app: false, desktop: false, sound: false, email: false }, job_failed: { ...DEFAULTS.types.job_failed, in_app: false } } },
      tokens.acmeMember,
    );
    await api.put('/api/notification-preferences', { ...DEFAULTS, types: { job_failed: { ...DEFAULTS.types.job_failed, in_app: false } } }, tokens.acmeAdmin);
    const { taskId } = await assignTask('acmeAdmin', 'acmeMember', 'Muted task');
    expect((await inbox('acmeMember')).some((item) => item.meta.task_id === taskId)).toBe(false);
    expect((await api.get(`/api/activity?entity_id=${taskId}`, tokens.acmeMember)).body.items).toHaveLength(1);
    const other = await assignTask('acmeAdmin', 'acmeAdmin2', 'Still told');
    expect((await inbox('acmeAdmin2')).some((item) => item.meta.task_id === other.taskId)).toBe(true);

    const jobId = await failJob('csv_import');
    expect((await inbox('acmeAdmin')).some((item) => item.target_url === `http://app.test/jobs/${jobId}`)).toBe(false);
    expect((await inbox('acmeAdmin2')).some((item) => item.target_url === `http://app.test/jobs/${jobId}`)).toBe(true);
  });
});

describe('email digests', () => {
  it('mails notifications of a type with email on, gathered into one digest per user', async () => {
    await api.put(
      '/api/notification-preferences',
      { ...DEFAULTS, types: { task_assigned: { ...DEFAULTS.types.task_assigned, email: true } } },
      tokens.acmeMember,
    );
    const first = await assignTask('acmeAdmin', 'acmeMember', 'Prepare demo');
    const second = await assignTask('acmeAdmin', 'acmeMember', 'Send case study');
    await waitForMails(1);
    const [mail] = mails;
    expect(mail!.to).toEqual([world.users.acmeMember.email]);
    expect(header(mail!.raw, 'Subject')).toBe('2 new notifications');
    const text = textOf(mail!.raw);
    expect(text).toContain('• New task assigned (Acme)\n  Prepare demo — Chloe Dubois (from acme-admin)');
    expect(text).toContain(`http://app.test/leads/${first.leadId}?tab=tasks`);
    expect(text).toContain('Send case study — Chloe Dubois (from acme-admin)');
    expect(text).toContain(`http://app.test/leads/${second.leadId}?tab=tasks`);

    // Sent once: nothing is left to send.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(mails).toHaveLength(1);
    expect(await server.db.emailOutbox.count({ where: { sentAt: null } })).toBe(0);
  });

  it('mails failures to admins by default; muted users and types with email off get nothing', async () => {
    await api.put('/api/notification-preferences', { ...DEFAULTS, muted: true }, tokens.acmeAdmin2);
    await assignTask('acmeAdmin', 'acmeMember', 'Not mailed: email off by default');
    const jobId = await failJob('enrichment');
    await waitForMails(1);
    expect(mails[0]!.to).toEqual([world.users.acmeAdmin.email]);
    expect(header(mails[0]!.raw, 'Subject')).toBe('Job failed: enrichment');
    expect(textOf(mails[0]!.raw)).toContain(`disk full\n  http://app.test/jobs/${jobId}`);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(mails).toHaveLength(1);
  });
});
