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
  'workspace.legal_hold_placed',
  'workspace.legal_hold_lifted',
  'audit_stream.created',
  'audit_stream.updated',
  'audit_stream.paused',
  'audit_stream.resumed',
  'audit_stream.replayed',
  'audit_stream.deleted',
  // About admins' shared alerts and their settings: kept out of members' feed like the rest.
  'notification.claimed',
  'notification.released',
  'notification.escalated',
  'workspace.notification_defaults_changed',
  'workspace.escalations_changed',
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
  'audit_stream_paused',
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
  audit_stream_paused: 'SIEM stream paused after failures',
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
  'workspace.legal_hold_placed': 'Legal hold placed',
  'workspace.legal_hold_lifted': 'Legal hold lifted',
  'audit_stream.created': 'SIEM stream created',
  'audit_stream.updated': 'SIEM stream changed',
  'audit_stream.paused': 'SIEM stream paused',
  'audit_stream.resumed': 'SIEM stream resumed',
  'audit_stream.replayed': 'SIEM stream replayed',
  'audit_stream.deleted': 'SIEM stream deleted',
  'notification.claimed': 'Alert claimed',
  'notification.released': 'Alert released',
  'notification.escalated': 'Alert escalated',
  'workspace.notification_defaults_changed': 'Notification defaults changed',
  'workspace.escalations_changed': 'Alert escalations changed',
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

/** Quiet hours of someone who never set them: the one place these defaults live (server and apps). */
export const DEFAULT_QUIET_HOURS = { enabled: false, start: '22:00', end: '07:00', time_zone: 'UTC' } as const;

/** The channels of one notification type in the preferences. */
export const PREFERENCE_CHANNELS = ['in_app', 'desktop', 'sound', 'email'] as const;
export type PreferenceChannel = (typeof PREFERENCE_CHANNELS)[number];

/** Formats of the activity export. */
export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Channels of an alert rule: in-app always; email adds the alert to the recipients' digests. */
export const ALERT_RULE_CHANNELS = ['in_app', 'email'] as const;
export type AlertRuleChannel = (typeof ALERT_RULE_CHANNELS)[number];

/** Body formats of a SIEM stream: one entry per line as the export writes it, or a SIEM's own intake format. */
export const AUDIT_STREAM_FORMATS = ['ndjson', 'splunk_hec', 'datadog'] as const;
export type AuditStreamFormat = (typeof AUDIT_STREAM_FORMATS)[number];
/** Workspace-level types an admin can claim and set an escalation for: the failures someone must take on. */
export const ESCALATABLE_NOTIFICATION_TYPES = ['job_failed', 'playbook_failed'] as const satisfies readonly NotificationType[];
export type EscalatableNotificationType = (typeof ESCALATABLE_NOTIFICATION_TYPES)[number];

/** The type of a self-test alert ("Send me a test alert"): not one of the settings' types. */
export const TEST_ALERT_TYPE = 'test_alert';

/** Why a client did not show a notification's toast (delivery self-test), each said plainly in settings. */
export const DELIVERY_FAILURE_REASONS = [
  'permission_denied',
  'quiet_hours',
  'muted_type',
  'muted_all',
  'desktop_off',
  'sound_muted',
  'unsupported',
  'silent_here',
  'other',
] as const;
export type DeliveryFailureReason = (typeof DELIVERY_FAILURE_REASONS)[number];

export const DELIVERY_FAILURE_LABELS: Record<DeliveryFailureReason, string> = {
  permission_denied: 'Notifications are blocked for this app: allow them in your system or browser settings.',
  quiet_hours: 'Quiet hours are on: toasts are held until they end.',
  muted_type: 'You muted this kind of notification.',
  muted_all: 'All notifications are paused ("Mute everything" is on).',
  desktop_off: 'Desktop toasts are turned off for this kind of notification.',
  sound_muted: 'The toast was shown, but its sound is off.',
  unsupported: 'This app cannot show system notifications here.',
  silent_here: 'You were active on another device: it alerted there, this one stayed silent.',
  other: 'The app could not show it.',
};
