import { Type } from 'typebox';
import { DateTime, Nullable, Uuid } from './common.ts';

import { MuteScopeSchema } from '@tray-notify/contract';

export { MuteItem, NotificationItem, UnreadCount } from '@tray-notify/contract';

/** `1`/`0`/`true`/`false`, as the original API accepted. */
export const QueryFlag = (description?: string) =>
  Type.Union([Type.Literal('true'), Type.Literal('false'), Type.Literal('1'), Type.Literal('0')], { description });
export const flag = (value: string | undefined, fallback = false) =>
  value === undefined ? fallback : value === 'true' || value === '1';

export const NotificationListQuery = Type.Object(
  {
    only_unread: Type.Optional(QueryFlag('true: only what the unread count counts (unread, and not claimed by another admin)')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    archived: Type.Optional(QueryFlag('true: the archived notifications (left out otherwise)')),
    snoozed: Type.Optional(QueryFlag('true: the snoozed notifications, soonest to wake first (left out otherwise)')),
    workspace_id: Type.Optional(Uuid),
    type: Type.Optional(
      Type.String({ pattern: '^[a-z0-9_.]+(,[a-z0-9_.]+){0,19}$', description: 'Only these types (comma-separated)' }),
    ),
  },
  { additionalProperties: false },
);

export const NotificationPatch = Type.Object(
  {
    read: Type.Optional(Type.Boolean()),
    archived: Type.Optional(Type.Boolean()),
    seen: Type.Optional(Type.Boolean()),
    snoozed_until: Type.Optional(
      Nullable(Type.String({ format: 'date-time', description: 'Hide it until then (in the future, within a year); null: bring it back now' })),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const MarkAllSeenBody = Type.Union([
  Type.Object(
    {
      workspace_id: Type.Optional(Uuid),
      before: Type.Optional(Type.String({ format: 'date-time', description: 'Only what arrived up to then (what the list showed)' })),
    },
    { additionalProperties: false },
  ),
  Type.Null(),
]);

export const MuteBody = Type.Object({ scope: MuteScopeSchema }, { additionalProperties: false });


export const MarkAllReadBody = Type.Union([
  Type.Object({ workspace_id: Type.Optional(Uuid) }, { additionalProperties: false }),
  Type.Null(),
]);
