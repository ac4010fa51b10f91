// The item shapes the API answers with, as TypeBox schemas: the server validates and serializes
// with them and publishes them in its OpenAPI document; the desktop app takes their static types.
// snake_case, as on the wire. Runtime-neutral: no Node or DOM APIs (the browser bundle compiles it).
import { Type, type Static, type TSchema } from 'typebox';
import {
  ACTIVITY_TYPES,
  ALERT_RULE_CHANNELS,
  AUDIT_STREAM_FORMATS,
  DELIVERY_FAILURE_REASONS,
  ESCALATABLE_NOTIFICATION_TYPES,
  NOTIFICATION_TYPES,
  ROLES,
  SEVERITIES,
} from './lists.ts';

export const Uuid = Type.String({ format: 'uuid', description: 'UUID' });
export const DateTime = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const Meta = Type.Object({}, { additionalProperties: true, description: 'Free-form details' });

export const ActivityTypeSchema = Type.Enum([...ACTIVITY_TYPES]);
export const SeveritySchema = Type.Enum([...SEVERITIES]);
export const RoleSchema = Type.Enum([...ROLES]);

/** A page of a list: pass `next_cursor` back as `cursor` for the next one. */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    page: Type.Integer(),
    page_size: Type.Integer(),
    next_cursor: Nullable(Type.String({ description: 'Pass as `cursor` for the next page; null at the end' })),
  });
export type Page<T> = { items: T[] } & Omit<Static<ReturnType<typeof Page<TSchema>>>, 'items'>;

export const ActivityItem = Type.Object({
  id: Uuid,
  // Null for an entry about the whole service (changes to rules across workspaces): super admins only.
  workspace_id: Nullable(Uuid),
  workspace_name: Nullable(Type.String()),
  actor_user_id: Nullable(Uuid),
  actor_name: Nullable(Type.String()),
  // Not the enum: integrations may record types this build does not know yet.
  type: Type.String(),
  entity_type: Nullable(Type.String()),
  entity_id: Nullable(Type.String()),
  summary: Type.String(),
  meta: Meta,
  severity: SeveritySchema,
  created_at: DateTime,
  target_url: Nullable(Type.String({ description: 'Where the entity opens in the host app: a path to join to the web app base URL' })),
  changes: Type.Array(Type.Object({ field: Type.String(), from: Type.Unknown(), to: Type.Unknown() }), {
    description: 'Fields the entry changed, old → new (from meta.changes)',
  }),
});
export type ActivityItem = Static<typeof ActivityItem>;

/** Someone named in an item (who claimed it, who locked a type). */
export const PersonRef = Type.Object({ id: Uuid, name: Type.String() });
export type PersonRef = Static<typeof PersonRef>;

export const NotificationItem = Type.Object({
  id: Uuid,
  workspace_id: Uuid,
  user_id: Nullable(Uuid),
  type: Type.String(),
  title: Type.String(),
  body: Type.String(),
  target_url: Nullable(
    Type.String({ description: "Where it leads: absolute in the host app when the server has APP_BASE_URL, else the app's path" }),
  ),
  meta: Meta,
  read_at: Nullable(DateTime),
  archived_at: Nullable(DateTime),
  seen_at: Nullable(DateTime),
  snoozed_until: Nullable(DateTime),
  reason: Type.String({ description: 'Why the caller received it, in plain words' }),
  created_at: Type.String({
    format: 'date-time',
    description: 'When it took its place at the top of the inbox: when it arrived, or later when a snooze brought it back or a repeat folded into it',
  }),
  // Optional in the type so older payloads (stream logs written before) still fit; the API always sends them.
  claimed_by: Type.Optional(Nullable(PersonRef)),
  claimed_at: Type.Optional(Nullable(DateTime)),
  escalated_at: Type.Optional(Nullable(DateTime)),
  first_arrived_at: Type.Optional(Type.String({ format: 'date-time', description: 'When it first arrived (before any snooze or repeat moved it up)' })),
});
export type NotificationItem = Static<typeof NotificationItem>;

/** A change of one viewer's read, archived, seen or snoozed state, as the stream sends it. */
export const NotificationStateChange = Type.Object({
  id: Uuid,
  /** Its workspace: a stream limited to one workspace (an embedded bell's) passes over the others'. */
  workspace_id: Type.Optional(Uuid),
  read_at: Nullable(DateTime),
  archived_at: Nullable(DateTime),
  seen_at: Nullable(DateTime),
  snoozed_until: Nullable(DateTime),
  /** Present when the claim changed: another admin's claim closes this viewer's toast and leaves their counts. */
  claimed_by: Type.Optional(Nullable(PersonRef)),
  claimed_at: Type.Optional(Nullable(DateTime)),
});
export type NotificationStateChange = Static<typeof NotificationStateChange>;

export const UnreadCount = Type.Object({
  count: Type.Integer(),
  by_workspace: Type.Record(Type.String(), Type.Integer(), { description: 'Unread count per workspace id' }),
  unseen: Type.Integer({ description: 'Not yet shown in a list: what the badge counts' }),
  unseen_by_workspace: Type.Record(Type.String(), Type.Integer()),
});
export type UnreadCount = Static<typeof UnreadCount>;

export const TypePreference = Type.Object(
  {
    in_app: Type.Boolean({ description: 'Shown in the inbox; off: not created for you at all' }),
    desktop: Type.Boolean({ description: 'Native toast' }),
    sound: Type.Boolean(),
    email: Type.Boolean({ description: 'Mailed in a digest (when the server has SMTP)' }),
  },
  { additionalProperties: false },
);
export type TypePreference = Static<typeof TypePreference>;

const ClockTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, 24-hour' });

export const QuietHours = Type.Object(
  {
    enabled: Type.Boolean(),
    start: ClockTime,
    end: ClockTime,
    time_zone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Berlin' }),
  },
  { additionalProperties: false, description: 'Desktop toasts and sounds are held in this window and summarised afterwards' },
);
export type QuietHours = Static<typeof QuietHours>;

/** A type a workspace admin keeps on (in-app and desktop) for the workspace's members. */
export const TypeLock = Type.Object({
  workspace_id: Uuid,
  workspace_name: Type.String(),
  locked_by: Nullable(PersonRef),
});
export type TypeLock = Static<typeof TypeLock>;

export const Preferences = Type.Object({
  muted: Type.Boolean({ description: 'Silences toasts, sounds and email; the inbox still fills' }),
  quiet_hours: QuietHours,
  types: Type.Object(Object.fromEntries(NOTIFICATION_TYPES.map((type) => [type, TypePreference])), { additionalProperties: false }),
  locks: Type.Optional(
    Type.Record(Type.String(), TypeLock, {
      description: 'Types the current workspace keeps on in-app and on the desktop: they cannot be turned off or muted',
    }),
  ),
});
/** Keyed by notification type; the server answers every type of NOTIFICATION_TYPES. */
export type Preferences = Omit<Static<typeof Preferences>, 'types'> & { types: Record<string, TypePreference> };

/** One type of a workspace's defaults for its members. */
export const WorkspaceTypeDefault = Type.Object({
  in_app: Type.Boolean(),
  desktop: Type.Boolean(),
  sound: Type.Boolean(),
  email: Type.Boolean(),
  locked: Type.Boolean({ description: 'Kept on in-app and on the desktop for every member: they cannot turn it off or mute it' }),
  locked_by: Nullable(PersonRef),
});
export type WorkspaceTypeDefault = Static<typeof WorkspaceTypeDefault>;

/** One type of a workspace's defaults as an admin sends them (PUT /api/workspace/notification-defaults). */
export const WorkspaceTypeDefaultInput = Type.Object(
  {
    in_app: Type.Boolean(),
    desktop: Type.Boolean(),
    sound: Type.Boolean(),
    email: Type.Boolean(),
    locked: Type.Optional(Type.Boolean({ description: 'Keep it on in-app and on the desktop for every member (both must be true)' })),
  },
  { additionalProperties: false },
);
export type WorkspaceTypeDefaultInput = Static<typeof WorkspaceTypeDefaultInput>;

export const WorkspaceNotificationDefaults = Type.Object({
  types: Type.Record(Type.String(), WorkspaceTypeDefault, { description: 'Every type members and admins receive' }),
  updated_at: Nullable(DateTime),
  updated_by: Nullable(PersonRef),
});
export type WorkspaceNotificationDefaults = Static<typeof WorkspaceNotificationDefaults>;

export const EscalatableTypeSchema = Type.Enum([...ESCALATABLE_NOTIFICATION_TYPES]);

/** "Unclaimed and unread by every admin after N minutes: tell the super admins and/or mail the admins." */
export const EscalationRule = Type.Object(
  {
    type: EscalatableTypeSchema,
    after_minutes: Type.Integer({ minimum: 1, maximum: 10_080 }),
    notify_super_admins: Type.Boolean(),
    email_admins: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type EscalationRule = Static<typeof EscalationRule>;

export const DeliveryFailureReasonSchema = Type.Enum([...DELIVERY_FAILURE_REASONS]);

/** What one client did with a notification: its toast shown or not, and why not. */
export const DeliveryReport = Type.Object({
  client: Type.String(),
  shown: Type.Boolean(),
  reason: Nullable(DeliveryFailureReasonSchema),
  round_trip_ms: Type.Integer({ description: 'From the notification\'s creation to the report, on the server\'s clock' }),
  reported_at: DateTime,
});
export type DeliveryReport = Static<typeof DeliveryReport>;

/** A delivery self-test: the test notification and what each client reported so far. */
export const DeliveryTest = Type.Object({
  notification: NotificationItem,
  reports: Type.Array(DeliveryReport),
});
export type DeliveryTest = Static<typeof DeliveryTest>;

export const UserSummary = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  is_super_admin: Type.Boolean(),
});
export type UserSummary = Static<typeof UserSummary>;

export const LoginResponse = Type.Object({ token: Type.String(), expires_at: DateTime, user: UserSummary });
export type LoginResponse = Static<typeof LoginResponse>;

export const Membership = Type.Object({ workspace_id: Uuid, workspace_name: Type.String(), role: RoleSchema });
export type Membership = Static<typeof Membership>;

export const Me = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  is_super_admin: Type.Boolean(),
  current_workspace: Nullable(Type.Object({ id: Uuid, name: Type.String(), role: RoleSchema })),
  memberships: Type.Array(Membership),
  /** What this server offers, so apps offer only what works. */
  server: Type.Optional(
    Type.Object({
      email: Type.Boolean({ description: 'Email digests are sent (SMTP_URL is set)' }),
      app_base_url: Nullable(Type.String({ description: 'Where notification links point (APP_BASE_URL), if set' })),
    }),
  ),
});
export type Me = Static<typeof Me>;

/** A workspace in the super admins' filters. */
export const AdminWorkspace = Type.Object({ id: Uuid, name: Type.String(), member_count: Type.Integer() });
export type AdminWorkspace = Static<typeof AdminWorkspace>;

/** A member of the caller's current workspace (assignment and recipient pickers). */
export const WorkspaceMember = Type.Object({ user_id: Uuid, name: Type.String(), email: Type.String(), role: RoleSchema, joined_at: DateTime });
export type WorkspaceMember = Static<typeof WorkspaceMember>;

/** How long a workspace's activity is kept. */
export const ActivityRetention = Type.Object({
  workspace_id: Uuid,
  workspace_name: Type.String(),
  retention_days: Nullable(Type.Integer({ description: 'Days of activity kept; null: everything' })),
  workspace_days: Nullable(Type.Integer({ description: "The workspace's own setting; null: the server's" })),
  server_days: Nullable(Type.Integer({ description: 'ACTIVITY_RETENTION_DAYS, the default and the maximum; null: everything is kept' })),
});
export type ActivityRetention = Static<typeof ActivityRetention>;

/** A user in the super admins' filters. */
export const AdminUser = Type.Object({ id: Uuid, name: Type.String(), email: Type.String() });
export type AdminUser = Static<typeof AdminUser>;

export const AlertRuleNotify = Type.Object(
  {
    roles: Type.Optional(Type.Array(RoleSchema, { uniqueItems: true, maxItems: 2, description: "Everyone with these roles in the rule's workspace" })),
    user_ids: Type.Optional(Type.Array(Uuid, { uniqueItems: true, maxItems: 50, description: 'Named members of the workspace (or super admins)' })),
    super_admins: Type.Optional(Type.Boolean({ description: 'Every super admin (set by super admins only)' })),
  },
  { additionalProperties: false },
);

/** What a rule watches and whom it tells: the body of POST /api/alert-rules (PATCH: any part of it). */
export const alertRuleFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  types: Type.Array(ActivityTypeSchema, { minItems: 1, maxItems: 30, uniqueItems: true }),
  min_severity: Type.Optional(Nullable(SeveritySchema)),
  threshold: Type.Integer({ minimum: 1, maximum: 10_000, description: 'How many matching entries within the window fire the rule' }),
  window_minutes: Type.Integer({ minimum: 1, maximum: 10_080, description: 'The window; after firing, the rule stays quiet this long' }),
  notify: AlertRuleNotify,
  channels: Type.Optional(Type.Array(Type.Enum([...ALERT_RULE_CHANNELS]), { uniqueItems: true, maxItems: 2 })),
};

export const AlertRuleInput = Type.Object(
  { ...alertRuleFields, workspace_id: Type.Optional(Nullable(Uuid)) },
  { additionalProperties: false },
);
export type AlertRuleInput = Static<typeof AlertRuleInput>;

export const AlertRuleItem = Type.Object({
  id: Uuid,
  workspace_id: Nullable(Uuid),
  workspace_name: Nullable(Type.String()),
  name: Type.String(),
  types: Type.Array(Type.String()),
  min_severity: Nullable(SeveritySchema),
  threshold: Type.Integer(),
  window_minutes: Type.Integer(),
  notify: Type.Object({ roles: Type.Array(RoleSchema), user_ids: Type.Array(Uuid), super_admins: Type.Boolean() }),
  channels: Type.Array(Type.String()),
  created_by: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  last_fired_at: Nullable(DateTime),
  created_at: DateTime,
  updated_at: DateTime,
});
export type AlertRuleItem = Static<typeof AlertRuleItem>;
export const MuteScopeSchema = Type.Union([Type.Literal('type'), Type.Literal('entity')], {
  description: 'type: every notification of this type; entity: everything about its lead, job or run',
});

/** Something the user stopped hearing about ("why was I notified" → mute). */
export const MuteItem = Type.Object({
  id: Uuid,
  scope: MuteScopeSchema,
  key: Type.String({ description: 'The notification type, or `lead:<id>`, `job:<id>`, `playbook_run:<id>`' }),
  label: Type.String({ description: 'What it silences, in plain words' }),
  created_at: DateTime,
});
export type MuteItem = Static<typeof MuteItem>;

/** What a SIEM stream sends where: the body of POST /api/audit-streams (PATCH: any part of it). */
export const auditStreamFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  url: Type.String({ minLength: 1, maxLength: 2000, description: 'https:// (http:// only to a loopback address)' }),
  format: Type.Enum([...AUDIT_STREAM_FORMATS], { description: 'ndjson: one entry per line as the export writes it; splunk_hec: HEC events; datadog: Logs intake' }),
  types: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50, uniqueItems: true, description: 'Only these activity types (empty or absent: all)' })),
  min_severity: Type.Optional(Nullable(SeveritySchema)),
  secret: Type.String({ minLength: 16, maxLength: 200, description: 'Key of the X-Signature HMAC; write-only' }),
  token: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 500, description: 'Splunk HEC token or Datadog API key, sent as the SIEM expects; write-only' }))),
};

export const AuditStreamInput = Type.Object(
  { ...auditStreamFields, workspace_id: Type.Optional(Nullable(Uuid)) },
  { additionalProperties: false },
);
export type AuditStreamInput = Static<typeof AuditStreamInput>;

export const AuditStreamItem = Type.Object({
  id: Uuid,
  workspace_id: Nullable(Uuid),
  name: Type.String(),
  url: Type.String(),
  format: Type.Enum([...AUDIT_STREAM_FORMATS]),
  types: Type.Array(Type.String()),
  min_severity: Nullable(SeveritySchema),
  has_token: Type.Boolean(),
  status: Type.Enum(['active', 'paused']),
  paused_reason: Nullable(Type.String()),
  failing_since: Nullable(DateTime),
  last_error: Nullable(Type.String()),
  last_delivered_at: Nullable(DateTime),
  created_at: DateTime,
  updated_at: DateTime,
});
export type AuditStreamItem = Static<typeof AuditStreamItem>;

export const AuditStreamDeliveryItem = Type.Object({
  started_at: DateTime,
  duration_ms: Type.Integer(),
  status: Type.Enum(['delivered', 'failed']),
  http_status: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  entries: Type.Integer(),
  first_entry_id: Nullable(Uuid),
  last_entry_id: Nullable(Uuid),
  lag_ms: Nullable(Type.Integer({ description: 'From the oldest entry being recorded to the receiver accepting it' })),
});
export type AuditStreamDeliveryItem = Static<typeof AuditStreamDeliveryItem>;
/** Client kinds that report presence and toast delivery. */
export const ClientKind = Type.Union([Type.Literal('tray'), Type.Literal('web')]);
export type ClientKind = Static<typeof ClientKind>;

/**
 * Where new notifications sound and toast: `devices` null means on every device (nobody is
 * active, or the user asked for every device); otherwise only on the devices listed, the
 * others show them silently (badge, list).
 */
export const AlertDevices = Type.Object({
  devices: Nullable(Type.Array(Type.String(), { description: 'Device ids that alert; null: every device' })),
});
export type AlertDevices = Static<typeof AlertDevices>;

/** A client saying whether the person is at it (input in the window, the system's idle time). */
export const PresenceReport = Type.Object(
  {
    device_id: Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: "The client's own random id (one per tray app run or browser tab)" }),
    client: ClientKind,
    active: Type.Boolean({ description: 'true: input within the last minute (repeat while it lasts); false: idle or hidden' }),
  },
  { additionalProperties: false },
);
export type PresenceReport = Static<typeof PresenceReport>;

/** A client's report on the OS toast of one notification (the delivery self-test). */
export const DeliveryReportInput = Type.Object(
  {
    shown: Type.Boolean({ description: 'The OS (or browser) toast was shown' }),
    reason: Type.Optional(Nullable(DeliveryFailureReasonSchema)),
    client: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9][a-z0-9 ._-]*$', description: 'e.g. `tray`, `web`' }),
  },
  { additionalProperties: false },
);
export type DeliveryReportInput = Static<typeof DeliveryReportInput>;
