import { criticalNotificationType } from './types.ts';
import { plural } from '../lib/plural.ts';
import type { Prisma } from '../db/prisma.ts';
import { entityPath } from './links.ts';

/** A notification a flow wants sent; createNotification stores and delivers it. */
export interface NewNotification {
  workspaceId: string;
  /** Set: a personal notification for this member. Null: workspace-level, for its admins. */
  userId: string | null;
  type: string;
  title: string;
  body?: string;
  targetUrl?: string | null;
  meta?: Prisma.InputJsonObject;
  /** Defaults to now; set when importing history. */
  createdAt?: Date;
  /**
   * Repeats about the same thing share a key (`reply:<lead id>`, `job:<id>`): while the latest
   * notification with the key is recent and nobody has read or archived it, it is updated and
   * moved to the top instead of adding a row. Its `meta.count` says how many events it stands for.
   */
  groupKey?: string;
  /** Title and body once a grouped notification stands for `count` (> 1) events; default: the newest event's. */
  collapsedText?: (count: number) => { title: string; body: string };
  /** Mail it to every recipient whatever their email preference (an alert rule's email channel); not for grouped ones. */
  email?: boolean;
  /** Why the user of a personal notification gets it ("You own this lead"). */
  reason?: string;
  /** With `userId` null: the workspace's admins (default), or the super admins (critical events). */
  audience?: 'admins' | 'super_admins';
}

/**
 * What each flow tells whom, in one place: the services and POST /api/events build their
 * notifications here, so the same event reads the same wherever it comes from.
 */

export const leadUrl = (leadId: string, query = '') => entityPath('/leads', leadId, query);
export const jobUrl = (jobId: string) => entityPath('/jobs', jobId);
export const playbookRunUrl = (runId: string) => entityPath('/playbooks/runs', runId);

export function taskAssigned(task: {
  workspaceId: string;
  id: string;
  title: string;
  leadId: string;
  leadName: string;
  assigneeUserId: string;
  assignedBy: string | null;
  dueAt: Date | null;
}): NewNotification {
  return {
    workspaceId: task.workspaceId,
    userId: task.assigneeUserId,
    type: 'task_assigned',
    title: 'New task assigned',
    body: `${task.title} — ${task.leadName}${task.assignedBy ? ` (from ${task.assignedBy})` : ''}`,
    targetUrl: leadUrl(task.leadId, '?tab=tasks'),
    meta: { task_id: task.id, lead_id: task.leadId, due_at: task.dueAt?.toISOString() ?? null },
    reason: 'You were assigned this task',
  };
}

export function taskCompleted(task: {
  workspaceId: string;
  id: string;
  title: string;
  leadId: string;
  leadName: string;
  creatorUserId: string;
  completedBy: string;
}): NewNotification {
  return {
    workspaceId: task.workspaceId,
    userId: task.creatorUserId,
    type: 'task_completed',
    title: 'Task completed',
    body: `${task.completedBy} completed “${task.title}” — ${task.leadName}`,
    targetUrl: leadUrl(task.leadId, '?tab=tasks'),
    meta: { task_id: task.id, lead_id: task.leadId },
    reason: 'You created this task',
  };
}

/** Replies from one lead within the group window collapse into "3 new replies from …". */
export function replyReceived(reply: {
  workspaceId: string;
  id: string;
  leadId: string;
  leadName: string;
  /** Null: the lead has no owner, so the workspace's admins hear about it. */
  ownerUserId: string | null;
  subject: string;
  snippet: string;
}): NewNotification {
  return {
    workspaceId: reply.workspaceId,
    userId: reply.ownerUserId,
    type: 'reply_received',
    title: `New reply from ${reply.leadName}`,
    body: reply.snippet ? `${reply.subject}: ${reply.snippet}` : reply.subject,
    targetUrl: leadUrl(reply.leadId),
    meta: { lead_id: reply.leadId, reply_id: reply.id },
    reason: 'You own this lead',
    groupKey: `reply:${reply.leadId}`,
    collapsedText: (count) => ({
      title: `${count} new replies from ${reply.leadName}`,
      body: `Latest: ${reply.subject}`,
    }),
  };
}

const OUTCOME_TITLES: Record<string, (lead: string) => string> = {
  replied: (lead) => `${lead} replied`,
  meeting_booked: (lead) => `Meeting booked with ${lead}`,
};

/** Only replies and meetings are worth interrupting the campaign owner for. */
export const notifiesCampaignOwner = (outcome: string) => outcome in OUTCOME_TITLES;

export function campaignOutcome(outcome: {
  workspaceId: string;
  campaignId: string;
  campaignName: string;
  ownerUserId: string;
  leadId: string;
  leadName: string;
  outcome: string;
}): NewNotification {
  return {
    workspaceId: outcome.workspaceId,
    userId: outcome.ownerUserId,
    type: 'campaign_outcome',
    title: OUTCOME_TITLES[outcome.outcome]!(outcome.leadName),
    body: `Campaign “${outcome.campaignName}”`,
    targetUrl: leadUrl(outcome.leadId),
    meta: { campaign_id: outcome.campaignId, lead_id: outcome.leadId, outcome: outcome.outcome },
    reason: 'You own this campaign',
  };
}

export function playbookCompleted(run: {
  workspaceId: string;
  id: string;
  playbookName: string;
  leadsAdded: number;
}): NewNotification {
  return {
    workspaceId: run.workspaceId,
    userId: null,
    type: 'playbook_completed',
    title: 'Playbook completed',
    body: `${run.playbookName} completed (${plural(run.leadsAdded, 'lead')} added)`,
    targetUrl: playbookRunUrl(run.id),
    meta: { playbook_run_id: run.id, leads_added: run.leadsAdded },
  };
}

export function playbookFailed(run: { workspaceId: string; id: string; playbookName: string; error: string }): NewNotification {
  return {
    workspaceId: run.workspaceId,
    userId: null,
    type: 'playbook_failed',
    title: 'Playbook failed',
    body: `${run.playbookName} failed: ${run.error}`,
    targetUrl: playbookRunUrl(run.id),
    meta: { playbook_run_id: run.id },
  };
}

/** "csv_import" reads "csv import"; a kind that says nothing more than "job" is left out. */
const jobKind = (kind: string) => {
  const words = kind.replaceAll(/[_-]+/g, ' ').trim();
  return words && words.toLowerCase() !== 'job' ? words : null;
};

/** Repeated failures of the same kind of job collapse while unread. */
export function jobFailed(job: { workspaceId: string; id: string; kind: string; error: string }): NewNotification {
  const kind = jobKind(job.kind);
  return {
    workspaceId: job.workspaceId,
    userId: null,
    type: 'job_failed',
    title: kind ? `Job failed: ${kind}` : 'A job failed',
    body: job.error,
    targetUrl: jobUrl(job.id),
    meta: { job_id: job.id, kind: job.kind },
    groupKey: `job_failed:${job.kind}`,
    collapsedText: (count) => ({
      title: kind ? `${count} ${kind} jobs failed` : `${count} jobs failed`,
      body: `Latest: ${job.error}`,
    }),
  };
}

/** A critical activity, for the super admins (who belong to no workspace, so see no inbox of it otherwise). */
export function criticalEvent(activity: {
  workspaceId: string;
  activityId: string;
  type: string;
  summary: string;
  entity?: { type: string; id: string };
}): NewNotification {
  const entity = activity.entity;
  const targetUrl =
    entity?.type === 'job' ? jobUrl(entity.id) : entity?.type === 'playbook_run' ? playbookRunUrl(entity.id) : null;
  return {
    workspaceId: activity.workspaceId,
    userId: null,
    audience: 'super_admins',
    type: criticalNotificationType(activity.type),
    title: activity.summary,
    body: '',
    targetUrl,
    meta: {
      activity_id: activity.activityId,
      activity_type: activity.type,
      ...(entity?.type === 'job' ? { job_id: entity.id } : {}),
      ...(entity?.type === 'playbook_run' ? { playbook_run_id: entity.id } : {}),
    },
  };
}
