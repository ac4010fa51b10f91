// The closed vocabularies of the API. Plain arrays (no TypeBox) so code that only needs a list,
// like the desktop's pickers, does not bundle the schema builder.

/** Security-relevant entries: workspace admins and super admins see them; members do not. */
const AUDIT_TYPES = [
  'auth.login_failed',
  'member.role_changed',
  'member.removed',
  'api_key.created',
  'api_key.revoked',
  'embed_secret.rotated',
  'alert_rule.created',
  'alert_rule.updated',
  'alert_rule.deleted',
  'alert_rule.triggered',
  'workspace.retention_changed',
  'activity.pruned',
] as const;

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
  ...AUDIT_TYPES,
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** Kept out of members' activity feed. */
export const AUDIT_ACTIVITY_TYPES: readonly ActivityType[] = AUDIT_TYPES;

export const NOTIFICATION_TYPES = [
  'task_assigned',
  'task_completed',
  'playbook_completed',
  'playbook_failed',
  'reply_received',
  'campaign_outcome',
  'job_failed',
  'alert_rule_triggered',
  // Critical events, delivered to super admins only (each type with its own preferences).
  'critical_job_failed',
  'critical_playbook_failed',
  'critical_login_failed',
  'critical_member_change',
  'critical_api_key',
  'critical_other',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** The types only super admins receive: members' and workspace admins' pickers leave them out. */
export const SUPER_ADMIN_NOTIFICATION_TYPES: readonly NotificationType[] = NOTIFICATION_TYPES.filter((type) =>
  type.startsWith('critical_'),
);

/** Workspace-level types (jobs, playbooks): delivered to the workspace's admins, never to members. */
export const ADMIN_NOTIFICATION_TYPES: readonly NotificationType[] = ['playbook_completed', 'playbook_failed', 'job_failed'];

/** The types this user can receive, for settings and filters: no one is offered what never reaches them. */
export function receivableTypes(user: { is_super_admin: boolean; memberships: readonly { role: string }[] } | null | undefined): NotificationType[] {
  if (user?.is_super_admin) return [...NOTIFICATION_TYPES];
  const admin = !!user?.memberships.some((m) => m.role === 'admin');
  return NOTIFICATION_TYPES.filter((t) => !SUPER_ADMIN_NOTIFICATION_TYPES.includes(t) && (admin || !ADMIN_NOTIFICATION_TYPES.includes(t)));
}

/** Each notification type in plain words (settings, filters, mute labels). */
export const NOTIFICATION_TYPE_LABELS: Record<NotificationType, string> = {
  task_assigned: 'Task assigned to you',
  task_completed: 'Task you created completed',
  playbook_completed: 'Playbook completed',
  playbook_failed: 'Playbook failed',
  reply_received: 'Reply from a lead',
  campaign_outcome: 'Campaign reply or meeting',
  job_failed: 'Job failed',
  alert_rule_triggered: 'Alert rule fired',
  critical_job_failed: 'Critical: job failed',
  critical_playbook_failed: 'Critical: playbook failed',
  critical_login_failed: 'Critical: repeated failed logins',
  critical_member_change: 'Critical: member role changed or removed',
  critical_api_key: 'Critical: API key or embed secret changed',
  critical_other: 'Critical: other events',
};

/** Each activity type in plain words (filters, feeds). */
export const ACTIVITY_TYPE_LABELS: Record<ActivityType, string> = {
  'lead.created': 'Lead created',
  'lead.updated': 'Lead updated',
  'lead.added_to_list': 'Lead added to a list',
  'email.found': 'Email found',
  'email.verified': 'Email verified',
  'campaign.sent': 'Campaign sent',
  'campaign.outcome': 'Campaign outcome',
  'task.created': 'Task created',
  'task.completed': 'Task completed',
  'playbook.run': 'Playbook started',
  'playbook.completed': 'Playbook completed',
  'playbook.failed': 'Playbook failed',
  'job.created': 'Job started',
  'job.completed': 'Job completed',
  'job.failed': 'Job failed',
  'email.reply_received': 'Reply received',
  'auth.login_failed': 'Repeated failed logins',
  'member.role_changed': 'Member role changed',
  'member.removed': 'Member removed',
  'api_key.created': 'API key created',
  'api_key.revoked': 'API key revoked',
  'embed_secret.rotated': 'Embed secret rotated',
  'alert_rule.created': 'Alert rule created',
  'alert_rule.updated': 'Alert rule changed',
  'alert_rule.deleted': 'Alert rule deleted',
  'alert_rule.triggered': 'Alert rule fired',
  'workspace.retention_changed': 'Activity retention changed',
  'activity.pruned': 'Old activity removed',
};

/** A type in plain words; a type this build does not know (from an integration) is spelled out. */
export function typeLabel(type: string): string {
  const known = (NOTIFICATION_TYPE_LABELS as Record<string, string>)[type] ?? (ACTIVITY_TYPE_LABELS as Record<string, string>)[type];
  if (known) return known;
  const words = type.replace(/[._]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

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
