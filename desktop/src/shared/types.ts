// The desktop's view of the API. Wire shapes and type lists come from the shared contract
// (@tray-notify/contract, the same schemas the server validates and serializes with); this file
// only adds the query options the app sends and its own connection state.
import type { Severity } from '@tray-notify/contract/lists';

export {
  ACTIVITY_TYPES,
  NOTIFICATION_TYPES,
  PREFERENCE_CHANNELS,
  SEVERITIES,
  SUPER_ADMIN_NOTIFICATION_TYPES,
  receivableTypes,
  typeLabel,
  type ActivityType,
  type NotificationType,
  type PreferenceChannel,
  type Role,
  type Severity,
} from '@tray-notify/contract/lists';
export { isFullNotification } from '@tray-notify/contract/stream';
export { MAX_BULK_IDS, type BulkAction, type BulkFilter, type BulkRequest, type BulkResult, type BulkUndoResult } from '@tray-notify/contract/bulk';
export type {
  ActivityItem,
  AlertDevices,
  ClientKind,
  DeliveryReportInput,
  PresenceReport,
  AdminUser,
  DeliveryReport,
  DeliveryTest,
  PersonRef,
  TypeLock,
  AdminWorkspace,
  LoginResponse,
  Me,
  Membership,
  MuteItem,
  NotificationItem,
  NotificationStateChange,
  Page,
  Preferences,
  QuietHours,
  StreamEvent,
  TypePreference,
  UnreadCount,
  UserSummary,
  WorkspaceMember,
  ActivityRetention,
  EscalationRule,
  WorkspaceNotificationDefaults,
  WorkspaceTypeDefault,
  WorkspaceTypeDefaultInput,
} from '@tray-notify/contract';
export { ESCALATABLE_NOTIFICATION_TYPES, type EscalatableNotificationType } from '@tray-notify/contract/lists';
export type { AlertRuleItem as AlertRule, AlertRuleInput } from '@tray-notify/contract';
export { DELIVERY_FAILURE_LABELS, type DeliveryFailureReason } from '@tray-notify/contract/lists';
export { AUDIT_ACTIVITY_TYPES, EXPORT_FORMATS, type ExportFormat } from '@tray-notify/contract/lists';

export interface ActivityQuery {
  q?: string;
  entity_type?: string;
  entity_id?: string;
  type?: string;
  cursor?: string;
  page_size?: number;
  severity?: Severity;
  since?: string;
  until?: string;
  /** Only these entries (comma-separated ids): an alert's link to the entries that fired it. */
  ids?: string;
}

export interface AdminActivityQuery extends ActivityQuery {
  workspace_id?: string;
  actor_user_id?: string;
}

export interface NotificationQuery {
  only_unread?: boolean;
  limit?: number;
  cursor?: string;
  archived?: boolean;
  snoozed?: boolean;
  workspace_id?: string;
  /** Comma-separated notification types. */
  type?: string;
}

/** One viewer's change to an inbox entry (PATCH /api/notifications/{id}). */
export interface NotificationChange {
  read?: boolean;
  archived?: boolean;
  seen?: boolean;
  /** ISO time to hide it until; null brings it back. */
  snoozed_until?: string | null;
}

export type MuteScope = 'type' | 'entity';

/** What clicking a notification did: opened the host app, the activity window, or showed it in place. */
export type OpenResult = 'external' | 'activity' | 'detail' | 'none' | 'refused';

export type ConnectionState = 'connecting' | 'online' | 'offline' | 'signed-out';

/** An export of one of the activity feeds: every entry matching the query (no paging). */
export interface ActivityExportRequest {
  scope: 'workspace' | 'admin';
  format: import('@tray-notify/contract/lists').ExportFormat;
  query: Omit<AdminActivityQuery, 'cursor' | 'page_size'>;
}
