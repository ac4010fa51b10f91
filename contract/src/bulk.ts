import { type Static, Type } from 'typebox';
import { DateTime, Nullable, Uuid } from './schemas.ts';

/** What one bulk request does to every entry it selects. */
export const BULK_ACTIONS = ['read', 'unread', 'archive', 'unarchive', 'seen', 'snooze'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** The most ids one request names; "everything matching" goes by `filter`, of any size. */
export const MAX_BULK_IDS = 1000;

/** The list's own filter (GET /api/notifications): a bulk action by filter changes what that list holds. */
export const BulkFilter = Type.Object(
  {
    only_unread: Type.Optional(Type.Boolean()),
    archived: Type.Optional(Type.Boolean({ description: 'true: the archived entries (left out otherwise)' })),
    snoozed: Type.Optional(Type.Boolean({ description: 'true: the snoozed entries (left out otherwise)' })),
    workspace_id: Type.Optional(Uuid),
    type: Type.Optional(Type.String({ pattern: '^[a-z0-9_.]+(,[a-z0-9_.]+){0,19}$', description: 'Only these types (comma-separated)' })),
  },
  { additionalProperties: false },
);
export type BulkFilter = Static<typeof BulkFilter>;

const action = Type.Enum([...BULK_ACTIONS]);
const until = Type.Optional(DateTime);

export const BulkRequest = Type.Union([
  Type.Object(
    { action, until, ids: Type.Array(Uuid, { minItems: 1, maxItems: MAX_BULK_IDS, description: `At most ${MAX_BULK_IDS}; more: use \`filter\`` }) },
    { additionalProperties: false },
  ),
  Type.Object({ action, until, filter: BulkFilter }, { additionalProperties: false }),
]);
export type BulkRequest = Static<typeof BulkRequest>;

export const BulkResult = Type.Object({
  updated: Type.Integer({ description: 'Entries that changed (those already in that state, or not the caller’s, are not counted)' }),
  undo_token: Nullable(Type.String({ description: 'Single-use, for POST /api/notifications/bulk/undo within an hour; null when nothing changed' })),
});
export type BulkResult = Static<typeof BulkResult>;

export const BulkUndoRequest = Type.Object({ undo_token: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export const BulkUndoResult = Type.Object({ restored: Type.Integer({ description: 'Entries put back' }) });
export type BulkUndoResult = Static<typeof BulkUndoResult>;
