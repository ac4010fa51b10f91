import type { Prisma } from '../db/prisma.ts';

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
}

/**
 * What each flow tells whom, in one place: the services and POST /api/events build their
 * notifications here, so the same event reads the same wherever it comes from.
 */

export const leadUrl = (leadId: string) => `/leads/${leadId}`;

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
    targetUrl: `${leadUrl(task.leadId)}?tab=tasks`,
    meta: { task_id: task.id, lead_id: task.leadId, due_at: task.dueAt?.toISOString() ?? null },
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
    targetUrl: `${leadUrl(task.leadId)}?tab=tasks`,
    meta: { task_id: task.id, lead_id: task.leadId },
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
    body: `${run.playbookName} completed (${run.leadsAdded} leads added)`,
    targetUrl: `/playbooks/runs/${run.id}`,
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
    targetUrl: `/playbooks/runs/${run.id}`,
    meta: { playbook_run_id: run.id },
  };
}

/** Repeated failures of the same kind of job collapse while unread. */
export function jobFailed(job: { workspaceId: string; id: string; kind: string; error: string }): NewNotification {
  return {
    workspaceId: job.workspaceId,
    userId: null,
    type: 'job_failed',
    title: `Job failed: ${job.kind}`,
    body: job.error,
    targetUrl: `/jobs/${job.id}`,
    meta: { job_id: job.id, kind: job.kind },
    groupKey: `job_failed:${job.kind}`,
    collapsedText: (count) => ({ title: `${count} ${job.kind} jobs failed`, body: `Latest: ${job.error}` }),
  };
}
