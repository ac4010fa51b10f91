import { Type } from 'typebox';
import { Uuid } from './common.ts';

export { NotificationItem, UnreadCount } from '@tray-notify/contract';

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
