// The vocabularies live in the wire contract, shared with the desktop app; the domain uses them as is.
export {
  ACTIVITY_TYPES,
  AUDIT_ACTIVITY_TYPES,
  CAMPAIGN_OUTCOMES,
  NOTIFICATION_TYPES,
  ROLES,
  SEVERITIES,
  type ActivityType,
  type CampaignOutcome,
  type NotificationType,
  type Role,
  type Severity,
} from '@tray-notify/contract/lists';
export { EXPORT_FORMATS, type ExportFormat } from '@tray-notify/contract/lists';
