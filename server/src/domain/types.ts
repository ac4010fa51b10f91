// The vocabularies live in the wire contract, shared with the desktop app; the domain uses them as is.
import type { NotificationType } from '@tray-notify/contract/lists';

export {
  ACTIVITY_TYPES,
  AUDIT_ACTIVITY_TYPES,
  CAMPAIGN_OUTCOMES,
  NOTIFICATION_TYPES,
  ROLES,
  SEVERITIES,
  typeLabel,
  type ActivityType,
  type CampaignOutcome,
  type NotificationType,
  type Role,
  type Severity,
} from '@tray-notify/contract/lists';
export { EXPORT_FORMATS, type ExportFormat } from '@tray-notify/contract/lists';
export { AUDIT_STREAM_FORMATS, type AuditStreamFormat } from '@tray-notify/contract/lists';

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
    case 'embed_secret.rotated':
      return 'critical_api_key';
    default:
      return 'critical_other';
  }
}
