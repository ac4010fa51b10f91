import { Type } from 'typebox';
import { DateTime, Meta, Nullable, Uuid } from './common.ts';

export const NotificationItem = Type.Object(
  {
    id: Uuid,
    workspace_id: Uuid,
    user_id: Nullable(Uuid),
    type: Type.String(),
    title: Type.String(),
    body: Type.String(),
    target_url: Nullable(Type.String()),
    meta: Meta,
    read_at: Nullable(DateTime),
    archived_at: Nullable(DateTime),
    created_at: DateTime,
  }
);

export const NotificationListQuery = Type.Object(
  {
    only_unread: Type.Optional(Type.Boolean({ default: false })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    archived: Type.Optional(
      Type.Boolean({ default: false, description: 'true: the archived notifications (left out otherwise)' }),
    ),
    workspace_id: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

export const NotificationPatch = Type.Object(
  { read: Type.Optional(Type.Boolean()), archived: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);

export const MarkAllReadBody = Type.Union([
  Type.Object({ workspace_id: Type.Optional(Uuid) }, { additionalProperties: false }),
  Type.Null(),
]);

export const UnreadCount = Type.Object(
  {
    count: Type.Integer(),
    by_workspace: Type.Record(Type.String(), Type.Integer(), { description: 'Unread count per workspace id' }),
  }
);
