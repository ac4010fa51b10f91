// The closed vocabularies of the API. Plain arrays (no TypeBox) so code that only needs a list,
// like the desktop's pickers, does not bundle the schema builder.

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
  'alert_rule.created',
  'alert_rule.updated',
  'alert_rule.deleted',
  'alert_rule.triggered',
  'workspace.retention_changed',
  'activity.pruned',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** Security-relevant entries: kept out of members' activity feed. */
export const AUDIT_ACTIVITY_TYPES: readonly ActivityType[] = [
  'auth.login_failed',
  'member.role_changed',
  'member.removed',
  'api_key.created',
  'api_key.revoked',
  'alert_rule.created',
  'alert_rule.updated',
  'alert_rule.deleted',
  'alert_rule.triggered',
  'workspace.retention_changed',
  'activity.pruned',
];

export const NOTIFICATION_TYPES = [
  'task_assigned',
  'task_completed',
  'playbook_completed',
  'playbook_failed',
  'reply_received',
  'campaign_outcome',
  'job_failed',
  'alert_rule_triggered',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ROLES = ['admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

export const CAMPAIGN_OUTCOMES = ['opened', 'replied', 'bounced', 'meeting_booked'] as const;
export type CampaignOutcome = (typeof CAMPAIGN_OUTCOMES)[number];

/** The channels of one notification type in the preferences. */
export const PREFERENCE_CHANNELS = ['in_app', 'desktop', 'sound', 'email'] as const;
export type PreferenceChannel = (typeof PREFERENCE_CHANNELS)[number];

/** Formats of the activity export. */
export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Channels of an alert rule: in-app always; email adds the alert to the recipients' digests. */
export const ALERT_RULE_CHANNELS = ['in_app', 'email'] as const;
export type AlertRuleChannel = (typeof ALERT_RULE_CHANNELS)[number];
