import { Type, type Static } from 'typebox';
import { AuditStreamDeliveryItem, AuditStreamInput, AuditStreamItem, auditStreamFields } from '@tray-notify/contract';
import { DateTime } from './common.ts';

export { AuditStreamDeliveryItem, AuditStreamItem };

export const CreateAuditStreamBody = AuditStreamInput;
export type CreateAuditStreamBody = Static<typeof CreateAuditStreamBody>;

export const UpdateAuditStreamBody = Type.Partial(
  Type.Object({ ...auditStreamFields, paused: Type.Boolean({ description: 'true: stop sending; false: resume (retries at once)' }) }),
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateAuditStreamBody = Static<typeof UpdateAuditStreamBody>;

export const ReplayAuditStreamBody = Type.Object(
  { since: Type.String({ format: 'date-time', description: 'Entries recorded from then on are sent again' }) },
  { additionalProperties: false },
);

export const AuditStreamDeliveries = Type.Object({
  stream: AuditStreamItem,
  lag_ms: Type.Integer({ description: 'How long the oldest entry not yet sent has waited (0: caught up)' }),
  items: Type.Array(AuditStreamDeliveryItem, { description: 'Recent attempts, newest first' }),
});
