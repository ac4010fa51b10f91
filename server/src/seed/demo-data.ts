import type { PrismaClient } from '../db/prisma.ts';
import { hashPassword } from '../lib/passwords.ts';
import { randomUUID } from 'node:crypto';
import { criticalEvent, jobUrl, leadUrl, playbookRunUrl } from '../domain/notifications.ts';
import { createNotification } from '../services/notifications/create-notification.ts';
import type { Severity } from '../domain/types.ts';

export const DEMO_PASSWORD = 'demo-password';

/** The demo logins, as the README lists them. */
export const DEMO_USERS = [
  { email: 'super@demo.test', name: 'Sam Super', superAdmin: true, memberships: [] },
  { email: 'admin@acme.test', name: 'Ada Admin', superAdmin: false, memberships: [['acme', 'admin']] },
  { email: 'ops@acme.test', name: 'Otto Ops', superAdmin: false, memberships: [['acme', 'admin']] },
  { email: 'rep@acme.test', name: 'Rita Rep', superAdmin: false, memberships: [['acme', 'member']] },
  { email: 'admin@globex.test', name: 'Gus Globex', superAdmin: false, memberships: [['globex', 'admin']] },
  { email: 'rep@globex.test', name: 'Gina Rep', superAdmin: false, memberships: [['globex', 'member']] },
] as const;

const WORKSPACES = { acme: 'Acme Sales', globex: 'Globex Outbound' } as const;
type WorkspaceKey = keyof typeof WORKSPACES;

const FIRST = ['Maya', 'Liam', 'Noah', 'Emma', 'Olivia', 'Lucas', 'Sofia', 'Ethan', 'Chloe', 'Mateo', 'Aria', 'Leo'];
const LAST = ['Chen', 'Patel', 'Garcia', 'Müller', 'Okafor', 'Rossi', 'Kim', 'Novak', 'Silva', 'Dubois', 'Berg'];
const COMPANIES = ['Northwind', 'Initech', 'Umbrella Health', 'Stark Logistics', 'Hooli', 'Vandelay Imports', 'Soylent', 'Wonka Foods'];
const CAMPAIGNS = ['Q4 CFO outreach', 'Webinar follow-up', 'Series B founders', 'Re-engage closed-lost'];
const PLAYBOOKS = ['LinkedIn → Campaign', 'Inbound lead enrichment', 'Event attendee import'];
const LISTS = ['Hot accounts', 'EMEA mid-market', 'Trial sign-ups'];
const TASKS = ['Call back about pricing', 'Send case study', 'Prepare demo', 'Follow up on proposal', 'Book intro meeting'];

/** Small deterministic PRNG, so the demo looks the same on every machine. */
function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return { next, pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}

/** Seeds the demo workspaces, users, 30 days of activity and notifications. Only on an empty database. */
export async function seedDemoData(db: PrismaClient, log: (message: string) => void = () => {}) {
  if ((await db.workspace.count()) > 0) return false;
  log('seeding demo data (first run)');
  const rng = random(42);
  const workspaces = {} as Record<WorkspaceKey, string>;
  for (const [key, name] of Object.entries(WORKSPACES) as [WorkspaceKey, string][]) {
    workspaces[key] = (await db.workspace.create({ data: { name, slug: key } })).id;
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const members: Record<WorkspaceKey, { id: string; name: string; role: 'admin' | 'member' }[]> = { acme: [], globex: [] };
  for (const demo of DEMO_USERS) {
    const user = await db.user.create({
      data: { email: demo.email, name: demo.name, passwordHash, isSuperAdmin: demo.superAdmin },
    });
    for (const [key, role] of demo.memberships) {
      await db.membership.create({ data: { workspaceId: workspaces[key], userId: user.id, role } });
      members[key].push({ id: user.id, name: user.name, role });
    }
  }

  const now = Date.now();
  const DAY = 24 * 3600 * 1000;
  for (const key of Object.keys(WORKSPACES) as WorkspaceKey[]) {
    const workspaceId = workspaces[key];
    const people = members[key];
    const rows = [];
    for (let i = 0; i < 320; i++) {
      const createdAt = new Date(now - rng.next() * 30 * DAY);
      const actor = rng.pick(people);
      const activity = demoActivity(rng, actor.name);
      // Jobs, playbook outcomes and email checks are system events: no actor.
      const bySystem = /^(job\.|playbook\.(completed|failed)|email\.)/.test(activity.type);
      rows.push({ workspaceId, actorUserId: bySystem ? null : actor.id, createdAt, ...activity });
    }
    // A few audit entries, so the critical-events views have a history too.
    const admin = people.find((person) => person.role === 'admin')!;
    const member = people.find((person) => person.role === 'member')!;
    const audit = [
      { type: 'api_key.created', entityType: 'api_key', summary: `${admin.name} created API key “CRM sync”`, meta: { name: 'CRM sync' } },
      { type: 'member.role_changed', entityType: 'user', summary: `${admin.name} changed ${member.name}'s role: admin → member`, meta: { from: 'admin', to: 'member' } },
      { type: 'auth.login_failed', entityType: 'user', summary: `Repeated failed logins for ${member.name}`, meta: { failures: 6 } },
    ];
    const auditRows = audit.map((entry, index) => ({
        id: randomUUID(),
        workspaceId,
        actorUserId: entry.type === 'auth.login_failed' ? null : admin.id,
        createdAt: new Date(now - (index + 1) * 2.5 * DAY),
        entityId: entry.type === 'api_key.created' ? `key-${key}` : member.id,
        severity: 'critical' as const,
        ...entry,
      }));
    await db.activity.createMany({ data: [...rows, ...auditRows] });
    // Super admins hear of critical events as notifications (recordActivity does this live).
    for (const row of auditRows) {
      await createNotification(db, {
        ...criticalEvent({ workspaceId, activityId: row.id, type: row.type, summary: row.summary, entity: { type: row.entityType, id: row.entityId } }),
        createdAt: row.createdAt,
      });
    }

    const admins = people.filter((person) => person.role === 'admin');
    const notifications = [];
    for (let i = 0; i < 40; i++) {
      const lead = `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
      const leadId = String(1000 + Math.floor(rng.next() * 9000));
      const personal = rng.next() < 0.6;
      const recipient = personal ? rng.pick(people) : null;
      notifications.push({
        createdAt: new Date(now - rng.next() * 14 * DAY),
        read: rng.next() < 0.35,
        input: personal
          ? rng.next() < 0.5
            ? {
                type: 'task_assigned',
                title: 'New task assigned',
                body: `${rng.pick(TASKS)} — ${lead}`,
                targetUrl: leadUrl(leadId, '?tab=tasks'),
                meta: { lead_id: leadId },
                reason: 'You were assigned this task',
              }
            : {
                type: 'reply_received',
                title: 'New reply received',
                body: `Reply from ${lead} (${rng.pick(COMPANIES)})`,
                targetUrl: leadUrl(leadId),
                meta: { lead_id: leadId, campaign: rng.pick(CAMPAIGNS) },
                reason: 'You own this lead',
              }
          : rng.next() < 0.7
            ? {
                type: 'playbook_completed',
                title: 'Playbook completed',
                body: `${rng.pick(PLAYBOOKS)} playbook completed (${50 + Math.floor(rng.next() * 400)} leads added)`,
                targetUrl: playbookRunUrl(leadId),
                meta: { playbook_job_id: leadId },
              }
            : {
                type: 'job_failed',
                title: 'Import job failed',
                body: `CSV import stopped at row ${Math.floor(rng.next() * 900)}: invalid email column`,
                targetUrl: jobUrl(leadId),
                meta: { job_id: leadId },
              },
        userId: recipient?.id ?? null,
      });
    }
    notifications.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    for (const notification of notifications) {
      const { recipients, notification: item } = await createNotification(db, {
        workspaceId,
        userId: notification.userId,
        createdAt: notification.createdAt,
        ...notification.input,
      });
      if (notification.read) {
        // Only the first recipient has read it: the other admins still see it unread.
        await db.notificationReceipt.update({
          where: { notificationId_userId: { notificationId: item.id, userId: recipients[0] ?? admins[0]!.id } },
          data: { readAt: new Date(notification.createdAt.getTime() + 3600 * 1000), seenAt: new Date(notification.createdAt.getTime() + 3600 * 1000) },
        });
      }
    }
  }
  log('demo data seeded: 2 workspaces, 6 users, 646 activities, 80 notifications');
  return true;
}

function demoActivity(rng: ReturnType<typeof random>, actorName: string) {
  const lead = `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
  const company = rng.pick(COMPANIES);
  const id = String(1000 + Math.floor(rng.next() * 9000));
  const kinds: (() => {
    type: string;
    entityType: string;
    entityId: string;
    summary: string;
    meta: Record<string, string | number>;
    severity?: Severity;
  })[] = [
    () => ({ type: 'lead.created', entityType: 'lead', entityId: id, summary: `${actorName} created lead ${lead} (${company})`, meta: { company } }),
    () => ({ type: 'lead.updated', entityType: 'lead', entityId: id, summary: `${actorName} updated ${lead}: stage → Qualified`, meta: { changes: 'stage' } }),
    () => {
      const list = rng.pick(LISTS);
      return { type: 'lead.added_to_list', entityType: 'lead', entityId: id, summary: `${lead} added to list “${list}”`, meta: { list } };
    },
    () => ({ type: 'email.found', entityType: 'lead', entityId: id, summary: `Email found for ${lead}`, meta: { source: 'enrichment' } }),
    () => ({ type: 'email.verified', entityType: 'lead', entityId: id, summary: `Email of ${lead} verified (deliverable)`, meta: { result: 'deliverable' } }),
    () => {
      const campaign = rng.pick(CAMPAIGNS);
      const recipients = 20 + Math.floor(rng.next() * 300);
      return { type: 'campaign.sent', entityType: 'campaign', entityId: id, summary: `Campaign “${campaign}” sent to ${recipients} leads`, meta: { campaign, recipients } };
    },
    () => {
      const outcome = rng.pick(['opened', 'replied', 'bounced', 'meeting_booked']);
      return {
        type: 'campaign.outcome',
        entityType: 'lead',
        entityId: id,
        summary: `${lead} ${outcome.replace('_', ' ')} — ${rng.pick(CAMPAIGNS)}`,
        meta: { outcome },
        severity: outcome === 'bounced' ? 'warning' : 'info',
      };
    },
    () => ({ type: 'task.created', entityType: 'task', entityId: id, summary: `${actorName} created task “${rng.pick(TASKS)}” for ${lead}`, meta: {} }),
    () => ({ type: 'task.completed', entityType: 'task', entityId: id, summary: `${actorName} completed “${rng.pick(TASKS)}”`, meta: {} }),
    () => ({ type: 'playbook.run', entityType: 'playbook_run', entityId: id, summary: `Playbook “${rng.pick(PLAYBOOKS)}” started`, meta: {} }),
    () => {
      const leads = 20 + Math.floor(rng.next() * 400);
      return { type: 'playbook.completed', entityType: 'playbook_run', entityId: id, summary: `Playbook “${rng.pick(PLAYBOOKS)}” completed (${leads} leads added)`, meta: { leads_added: leads } };
    },
    () => ({ type: 'playbook.failed', entityType: 'playbook_run', entityId: id, summary: `Playbook “${rng.pick(PLAYBOOKS)}” failed: LinkedIn session expired`, meta: {}, severity: 'critical' }),
    () => ({ type: 'job.created', entityType: 'job', entityId: id, summary: `Import job queued (${company}.csv)`, meta: {} }),
    () => ({ type: 'job.completed', entityType: 'job', entityId: id, summary: `Import job finished: ${100 + Math.floor(rng.next() * 900)} rows`, meta: {} }),
    () => ({ type: 'job.failed', entityType: 'job', entityId: id, summary: `Import job failed: invalid email column`, meta: {}, severity: 'critical' }),
    () => ({ type: 'email.reply_received', entityType: 'lead', entityId: id, summary: `Reply from ${lead} (${company})`, meta: { campaign: rng.pick(CAMPAIGNS) } }),
  ];
  return rng.pick(kinds)();
}
