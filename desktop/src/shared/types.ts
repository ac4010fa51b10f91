// Wire types of the server API (see api-contract.md). snake_case, as the server sends them.

export type Role = 'admin' | 'member';
export type Severity = 'info' | 'warning' | 'critical';

export interface User {
  id: string;
  email: string;
  name: string;
  is_super_admin: boolean;
}

export interface Membership {
  workspace_id: string;
  workspace_name: string;
  role: Role;
}

export interface Me extends User {
  current_workspace: { id: string; name: string; role: Role } | null;
  memberships: Membership[];
}

export interface LoginResponse {
  token: string;
  expires_at: string;
  user: User;
}

export interface Page<T> {
  items: T[];
  page?: number;
  page_size?: number;
  next_cursor: string | null;
}

export interface AppNotification {
  id: string;
  workspace_id: string;
  user_id: string | null;
  type: string;
  title: string;
  body: string;
  target_url: string | null;
  meta: Record<string, unknown> | null;
  read_at: string | null;
  archived_at: string | null;
  created_at: string;
}

export interface NotificationUpdate {
  id: string;
  read_at: string | null;
  archived_at: string | null;
}

export function isFullNotification(d: NotificationUpdate | AppNotification): d is AppNotification {
  return 'title' in d && typeof d.title === 'string' && 'created_at' in d;
}

export interface UnreadCount {
  count: number;
  by_workspace: Record<string, number>;
}

export interface Activity {
  id: string;
  workspace_id: string;
  workspace_name: string;
  actor_user_id: string | null;
  actor_name: string | null;
  type: string;
  entity_type: string | null;
  entity_id: string | null;
  summary: string;
  meta: Record<string, unknown> | null;
  severity: Severity;
  created_at: string;
}

export interface ActivityQuery {
  type?: string;
  cursor?: string;
  page_size?: number;
  severity?: Severity;
  since?: string;
  until?: string;
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
  workspace_id?: string;
}

export interface NamedRef {
  id: string;
  name: string;
}

export interface AdminUser extends NamedRef {
  email: string;
}

export interface TypePreference {
  in_app: boolean;
  desktop: boolean;
  sound: boolean;
  email: boolean;
}

export interface QuietHours {
  enabled: boolean;
  /** "HH:MM" */
  start: string;
  /** "HH:MM" */
  end: string;
  time_zone: string;
}

export interface NotificationPreferences {
  muted: boolean;
  quiet_hours: QuietHours;
  types: Record<string, TypePreference>;
}

export const NOTIFICATION_TYPES = [
  'task_assigned',
  'task_completed',
  'playbook_completed',
  'playbook_failed',
  'reply_received',
  'campaign_outcome',
  'job_failed',
] as const;

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
  'auth.login_failed',
  'member.role_changed',
  'api_key.created',
  'api_key.revoked',
] as const;

/** Events of GET /api/notifications/stream. */
export type StreamEvent =
  | { type: 'notification.created'; id: string | null; data: AppNotification }
  /** `{id, read_at, archived_at}`, or the whole item when a repeat collapsed into it (new text, moved to the top). */
  | { type: 'notification.updated'; id: string | null; data: NotificationUpdate | AppNotification }
  | { type: 'unread_count'; id: string | null; data: UnreadCount }
  | { type: 'resync'; id: string | null; data: Record<string, never> };

export type ConnectionState = 'connecting' | 'online' | 'offline' | 'signed-out';
