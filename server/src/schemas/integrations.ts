import { Type } from 'typebox';
import { ACTIVITY_TYPES, AUDIT_ACTIVITY_TYPES, SEVERITIES } from '../domain/types.ts';
import { DateTime, Meta, Nullable, Uuid } from './common.ts';

/** Integrations report domain events; audit events are the server's own and cannot be sent. */
const IntegrationEventType = Type.Enum(ACTIVITY_TYPES.filter((type) => !AUDIT_ACTIVITY_TYPES.includes(type)));

export const MAX_EVENTS_PER_CALL = 500;

export const EventsBody = Type.Object(
  {
    events: Type.Array(
      Type.Object(
        {
          type: IntegrationEventType,
          summary: Type.String({ minLength: 1, maxLength: 500 }),
          entity_type: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          entity_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
          meta: Type.Optional(Meta),
          severity: Type.Optional(Type.Enum([...SEVERITIES])),
          occurred_at: Type.Optional(DateTime),
        },
        {
          additionalProperties: false,
          // An entity is named by both or neither: an id alone could belong to anything. (Said
          // with anyOf/not, as OpenAPI 3.0 schemas have no `dependencies`.)
          anyOf: [
            { required: ['entity_type', 'entity_id'] },
            { not: { anyOf: [{ required: ['entity_type'] }, { required: ['entity_id'] }] } },
          ],
        },
      ),
      { minItems: 1, maxItems: MAX_EVENTS_PER_CALL },
    ),
  },
  { additionalProperties: false },
);

export const EventsResponse = Type.Object({
  accepted: Type.Integer(),
  activity_ids: Type.Array(Uuid),
  notifications: Type.Integer({ description: 'Notifications created or updated by these events' }),
});

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 1, maxLength: 255, description: 'A retry with the same key returns the first response' }),
  ),
});

export const InboundReplyBody = Type.Object(
  {
    lead_id: Uuid,
    subject: Type.String({ minLength: 1, maxLength: 500 }),
    snippet: Type.Optional(Type.String({ maxLength: 2000 })),
    received_at: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);

export const InboundReplyResponse = Type.Object({
  id: Uuid,
  lead_id: Uuid,
  activity_id: Uuid,
  notification_id: Uuid,
});

export const ApiKeyItem = Type.Object({
  id: Uuid,
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key' }),
  created_by: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  created_at: DateTime,
  last_used_at: Nullable(DateTime),
  revoked_at: Nullable(DateTime),
});

export const CreatedApiKey = Type.Object({
  ...ApiKeyItem.properties,
  key: Type.String({ description: 'The key itself: shown only in this response' }),
});

export const CreateApiKeyBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
