// The item shapes the API answers with, as TypeBox schemas: the server validates and serializes
// with them and publishes them in its OpenAPI document; the desktop app takes their static types.
// snake_case, as on the wire. Runtime-neutral: no Node or DOM APIs (the browser bundle compiles it).
import { Type, type Static, type TSchema } from 'typebox';
import { ACTIVITY_TYPES, ALERT_RULE_CHANNELS, NOTIFICATION_TYPES, ROLES, SEVERITIES } from './lists.ts';

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
  created_at: DateTime,
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

export const Preferences = Type.Object({
  muted: Type.Boolean({ description: 'Silences toasts, sounds and email; the inbox still fills' }),
  quiet_hours: QuietHours,
  types: Type.Object(Object.fromEntries(NOTIFICATION_TYPES.map((type) => [type, TypePreference])), { additionalProperties: false }),
});
/** Keyed by notification type; the server answers every type of NOTIFICATION_TYPES. */
export type Preferences = Omit<Static<typeof Preferences>, 'types'> & { types: Record<string, TypePreference> };

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
