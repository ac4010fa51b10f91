import type { ApiClient, World } from '../helper.ts';

// What each route of the app needs from its caller, and a valid body for it: shared by the
// route matrix and the fuzzing suite. A route the app serves without an entry here fails both.

export type Access = 'public' | 'user' | 'admin' | 'super' | 'key';
export type Ids = Record<'lead' | 'campaign' | 'job' | 'run' | 'task' | 'notification' | 'apiKey' | 'member' | 'list' | 'rule' | 'mute' | 'workspace' | 'auditStream', string>;
export interface Entry {
  access: Access;
  /** Which acme resource fills the path parameter. */
  id?: keyof Ids;
  /** A valid body, so a refusal is about the caller and not the input. */
  body?: (ids: Ids) => unknown;
}

export const ROUTES: Record<string, Entry> = {
  'GET /healthz': { access: 'public' },
  'GET /readyz': { access: 'public' },
  'POST /api/auth/login': { access: 'public', body: () => ({ email: 'nobody@test.example', password: 'x' }) },
  'POST /api/auth/logout': { access: 'user' },
  'GET /api/me': { access: 'user' },
  'PUT /api/me/current-workspace': { access: 'user', body: () => ({ workspace_id: '00000000-0000-4000-8000-000000000000' }) },
  'GET /api/activity': { access: 'user' },
  'GET /api/admin/activity': { access: 'super' },
  'GET /api/admin/critical-events': { access: 'super' },
  'GET /api/admin/users': { access: 'super' },
  'GET /api/admin/workspaces': { access: 'super' },
  'GET /api/api-keys': { access: 'admin' },
  'POST /api/api-keys': { access: 'admin', body: () => ({ name: 'matrix' }) },
  'DELETE /api/api-keys/{id}': { access: 'admin', id: 'apiKey' },
  'POST /api/campaigns': { access: 'user', body: () => ({ name: 'matrix' }) },
  'POST /api/campaigns/{id}/outcomes': { access: 'user', id: 'campaign', body: (ids) => ({ lead_id: ids.lead, outcome: 'opened' }) },
  'POST /api/campaigns/{id}/send': { access: 'user', id: 'campaign', body: (ids) => ({ lead_ids: [ids.lead] }) },
  'POST /api/events': { access: 'key', body: () => ({ events: [{ type: 'lead.created', summary: 'matrix' }] }) },
  'POST /api/inbound/replies': { access: 'key', body: (ids) => ({ lead_id: ids.lead, subject: 'matrix' }) },
  'POST /api/jobs': { access: 'user', body: () => ({ kind: 'matrix' }) },
  'POST /api/jobs/{id}/complete': { access: 'user', id: 'job', body: () => ({}) },
  'POST /api/jobs/{id}/fail': { access: 'user', id: 'job', body: () => ({ error: 'matrix' }) },
  'GET /api/lead-lists': { access: 'user' },
  'POST /api/lead-lists': { access: 'user', body: () => ({ name: 'matrix' }) },
  'POST /api/lead-lists/{id}/leads': { access: 'user', id: 'list', body: (ids) => ({ lead_id: ids.lead }) },
  'POST /api/leads': { access: 'user', body: () => ({ name: 'matrix' }) },
  'GET /api/leads/{id}': { access: 'user', id: 'lead' },
  'PATCH /api/leads/{id}': { access: 'user', id: 'lead', body: () => ({ stage: 'matrix' }) },
  'POST /api/leads/{id}/email/found': { access: 'user', id: 'lead', body: () => ({ email: 'found@lead.test' }) },
  'POST /api/leads/{id}/email/verified': { access: 'user', id: 'lead', body: () => ({ result: 'deliverable' }) },
  'GET /api/notification-preferences': { access: 'user' },
  'PUT /api/notification-preferences': { access: 'user', body: () => ({ muted: false }) },
  'GET /api/notifications': { access: 'user' },
  'PATCH /api/notifications/{id}': { access: 'user', id: 'notification', body: () => ({ read: true }) },
  'POST /api/notifications/mark-all-read': { access: 'user' },
  'POST /api/notifications/bulk': { access: 'user', body: (ids) => ({ action: 'read', ids: [ids.notification] }) },
  'POST /api/notifications/bulk/undo': { access: 'user', body: () => ({ undo_token: 'matrix' }) },
  'GET /api/notifications/stream': { access: 'user' },
  'POST /api/notifications/stream-ticket': { access: 'user' },
  'GET /api/notifications/unread-count': { access: 'user' },
  'POST /api/playbook-runs': { access: 'user', body: () => ({ playbook_name: 'matrix' }) },
  'POST /api/playbook-runs/{id}/complete': { access: 'user', id: 'run', body: () => ({ leads_added: 1 }) },
  'POST /api/playbook-runs/{id}/fail': { access: 'user', id: 'run', body: () => ({ error: 'matrix' }) },
  'POST /api/tasks': { access: 'user', body: (ids) => ({ lead_id: ids.lead, title: 'matrix', assignee_user_id: ids.member }) },
  'POST /api/tasks/{id}/complete': { access: 'user', id: 'task' },
  'GET /api/workspace/members': { access: 'user' },
  'PATCH /api/workspace/members/{user_id}': { access: 'admin', id: 'member', body: () => ({ role: 'member' }) },
  'DELETE /api/workspace/members/{user_id}': { access: 'admin', id: 'member' },
  'GET /api/activity/export': { access: 'user' },
  'GET /api/admin/activity/export': { access: 'super' },
  'GET /api/admin/workspaces/{id}/activity-retention': { access: 'super', id: 'workspace' },
  'PUT /api/admin/workspaces/{id}/activity-retention': { access: 'super', id: 'workspace', body: () => ({ retention_days: 400 }) },
  'DELETE /api/admin/workspaces/{id}/activity-retention': { access: 'super', id: 'workspace' },
  'GET /api/admin/workspaces/{id}/legal-hold': { access: 'super', id: 'workspace' },
  'PUT /api/admin/workspaces/{id}/legal-hold': { access: 'super', id: 'workspace', body: () => ({ reason: 'matrix' }) },
  'DELETE /api/admin/workspaces/{id}/legal-hold': { access: 'super', id: 'workspace', body: () => ({ reason: 'matrix' }) },
  'GET /api/activity/verify': { access: 'admin' },
  'GET /api/audit/public-key': { access: 'public' },
  'GET /api/audit/checkpoints': { access: 'admin' },
  'GET /api/audit/export': { access: 'admin' },
  'GET /api/alert-rules': { access: 'admin' },
  'POST /api/alert-rules': { access: 'admin', body: () => ({ name: 'matrix', types: ['job.failed'], threshold: 3, window_minutes: 10, notify: { roles: ['admin'] } }) },
  'PATCH /api/alert-rules/{id}': { access: 'admin', id: 'rule', body: () => ({ threshold: 4 }) },
  'DELETE /api/alert-rules/{id}': { access: 'admin', id: 'rule' },
  'GET /api/audit-streams': { access: 'admin' },
  'POST /api/audit-streams': { access: 'admin', body: () => ({ name: 'matrix', url: 'http://127.0.0.1:9/intake', format: 'ndjson', secret: 'matrix-secret-0123456789' }) },
  'PATCH /api/audit-streams/{id}': { access: 'admin', id: 'auditStream', body: () => ({ name: 'renamed' }) },
  'DELETE /api/audit-streams/{id}': { access: 'admin', id: 'auditStream' },
  'GET /api/audit-streams/{id}/deliveries': { access: 'admin', id: 'auditStream' },
  'POST /api/audit-streams/{id}/replay': { access: 'admin', id: 'auditStream', body: () => ({ since: new Date(Date.now() - 60_000).toISOString() }) },
  'GET /api/workspace/activity-retention': { access: 'admin' },
  'PUT /api/workspace/activity-retention': { access: 'admin', body: () => ({ retention_days: 400 }) },
  'GET /api/workspace/embed-secret': { access: 'admin' },
  'POST /api/workspace/embed-secret': { access: 'admin' },
  'POST /api/embed/session/renew': { access: 'user' },
  'POST /api/embed/session': {
    access: 'public',
    body: (ids) => ({ workspace_id: ids.workspace, user_id: ids.member, timestamp: Math.floor(Date.now() / 1000), signature: '0'.repeat(64) }),
  },
  'POST /api/notifications/mark-all-seen': { access: 'user' },
  'POST /api/notifications/{id}/mute': { access: 'user', id: 'notification', body: () => ({ scope: 'type' }) },
  'POST /api/notifications/{id}/claim': { access: 'user', id: 'notification' },
  'DELETE /api/notifications/{id}/claim': { access: 'user', id: 'notification' },
  'POST /api/notifications/test': { access: 'user' },
  'POST /api/notifications/{id}/delivery-report': { access: 'user', id: 'notification', body: () => ({ shown: true, client: 'web' }) },
  'GET /api/notifications/{id}/delivery-reports': { access: 'user', id: 'notification' },
  'POST /api/presence': { access: 'user', body: () => ({ device_id: 'matrix-device', client: 'web', active: true }) },
  'GET /api/presence': { access: 'user' },
  'PUT /api/presence/alert-every-device': { access: 'user', body: () => ({ enabled: false }) },
  'GET /api/workspace/notification-defaults': { access: 'user' },
  'PUT /api/workspace/notification-defaults': { access: 'admin', body: () => ({ types: {} }) },
  'GET /api/workspace/notification-escalations': { access: 'admin' },
  'PUT /api/workspace/notification-escalations': { access: 'admin', body: () => ({ items: [] }) },
  'GET /api/notification-preferences/mutes': { access: 'user' },
  'DELETE /api/notification-preferences/mutes/{id}': { access: 'user', id: 'mute' },
};


/** One of each Acme resource a route can name, created through the API as Acme's admin. */
export async function createAcmeResources(api: ApiClient, world: World, as: string, memberToken: string): Promise<Ids> {
  const lead = (await api.post('/api/leads', { name: 'Acme secret lead' }, as)).body.id;
  const ids: Ids = {
    lead,
    campaign: (await api.post('/api/campaigns', { name: 'Acme campaign' }, as)).body.id,
    job: (await api.post('/api/jobs', { kind: 'acme_job' }, as)).body.id,
    run: (await api.post('/api/playbook-runs', { playbook_name: 'Acme run' }, as)).body.id,
    task: (await api.post('/api/tasks', { lead_id: lead, title: 'Acme task', assignee_user_id: world.users.acmeAdmin.id }, as)).body.id,
    notification: '',
    apiKey: (await api.get('/api/api-keys', as)).body.items[0].id,
    member: world.users.acmeMember.id,
    list: (await api.post('/api/lead-lists', { name: 'Acme list' }, as)).body.id,
    rule: (
      await api.post('/api/alert-rules', { name: 'Acme rule', types: ['job.failed'], threshold: 3, window_minutes: 10, notify: { roles: ['admin'] } }, as)
    ).body.id,
    mute: '',
    workspace: world.acme.id,
    auditStream: (
      await api.post('/api/audit-streams', { name: 'Acme SIEM', url: 'http://127.0.0.1:9/intake', format: 'ndjson', secret: 'acme-siem-secret-0123456789' }, as)
    ).body.id,
  };
  await api.post('/api/tasks', { lead_id: lead, title: 'For the member', assignee_user_id: world.users.acmeMember.id }, as);
  ids.notification = (await api.get('/api/notifications', memberToken)).body.items[0].id;
  ids.mute = (await api.post(`/api/notifications/${ids.notification}/mute`, { scope: 'type' }, memberToken)).body.id;

  return ids;
}
