/** The activity families of the original app, plus the audit events that feed critical events. */
export const ACTIVITY_TYPES = [
  'lead.created',
  'lead.updated',
  'lead.added_to_list',
  'email.found',
  'email.verified',
  'campaign.sent',
  'campaign.outcome',
  'task.created',
  'task.completed',
  'playbook.run',
  'playbook.completed',
  'playbook.failed',
  'job.created',
  'job.completed',
  'job.failed',
  'email.reply_received',
  // Audit: workspace admins and super admins see these; members do not.
  'auth.login_failed',
  'member.role_changed',
  'member.removed',
  'api_key.created',
  'api_key.revoked',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** Security-relevant entries: kept out of members' activity feed. */
export const AUDIT_ACTIVITY_TYPES: readonly ActivityType[] = [
  'auth.login_failed',
  'member.role_changed',
  'member.removed',
  'api_key.created',
  'api_key.revoked',
];

export const NOTIFICATION_TYPES = [
  'task_assigned',
  'task_completed',
  'playbook_completed',
  'playbook_failed',
  'reply_received',
  'campaign_outcome',
  'job_failed',
  // Critical events, delivered to super admins only (each with its own preferences).
  'critical_job_failed',
  'critical_playbook_failed',
  'critical_login_failed',
  'critical_member_change',
  'critical_api_key',
  'critical_other',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ROLES = ['admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

export const CAMPAIGN_OUTCOMES = ['opened', 'replied', 'bounced', 'meeting_booked'] as const;
export type CampaignOutcome = (typeof CAMPAIGN_OUTCOMES)[number];

/** The notification a super admin gets for a critical activity of each type. */
export function criticalNotificationType(activityType: string): NotificationType {
  switch (activityType) {
    case 'job.failed':
      return 'critical_job_failed';
    case 'playbook.failed':
      return 'critical_playbook_failed';
    case 'auth.login_failed':
      return 'critical_login_failed';
    case 'member.role_changed':
    case 'member.removed':
      return 'critical_member_change';
    case 'api_key.created':
    case 'api_key.revoked':
      return 'critical_api_key';
    default:
      return 'critical_other';
  }
}

export const SUPER_ADMIN_NOTIFICATION_TYPES: readonly NotificationType[] = NOTIFICATION_TYPES.filter((type) =>
  type.startsWith('critical_'),
);

/** Each notification type in plain words (settings, mute labels). */
export const NOTIFICATION_TYPE_LABELS: Record<NotificationType, string> = {
  task_assigned: 'Task assigned to you',
  task_completed: 'Task you created completed',
  playbook_completed: 'Playbook completed',
  playbook_failed: 'Playbook failed',
  reply_received: 'Reply from a lead',
  campaign_outcome: 'Campaign reply or meeting',
  job_failed: 'Job failed',
  critical_job_failed: 'Critical: job failed',
  critical_playbook_failed: 'Critical: playbook failed',
  critical_login_failed: 'Critical: repeated failed logins',
  critical_member_change: 'Critical: member role changed or removed',
  critical_api_key: 'Critical: API key created or revoked',
  critical_other: 'Critical: other events',
};

export const notificationTypeLabel = (type: string) =>
  NOTIFICATION_TYPE_LABELS[type as NotificationType] ?? type.replaceAll(/[._]/g, ' ');
