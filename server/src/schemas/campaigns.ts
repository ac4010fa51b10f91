import { Type } from 'typebox';
import { CAMPAIGN_OUTCOMES } from '../domain/types.ts';
import { DateTime, Nullable, Uuid } from './common.ts';

export const CampaignItem = Type.Object({
  id: Uuid,
  workspace_id: Uuid,
  name: Type.String(),
  owner_user_id: Uuid,
  sent_at: Nullable(DateTime),
  recipient_count: Type.Integer(),
  created_at: DateTime,
});

export const CreateCampaignBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    owner_user_id: Type.Optional(Type.String({ format: 'uuid', description: 'A member; default: the caller' })),
  },
  { additionalProperties: false },
);

export const SendCampaignBody = Type.Object(
  { lead_ids: Type.Array(Uuid, { minItems: 1, maxItems: 10_000 }) },
  { additionalProperties: false },
);

const Outcome = Type.Enum([...CAMPAIGN_OUTCOMES]);
export const CampaignOutcomeBody = Type.Object({ lead_id: Uuid, outcome: Outcome }, { additionalProperties: false });
export const CampaignOutcomeItem = Type.Object({ campaign_id: Uuid, lead_id: Uuid, outcome: Outcome, outcome_at: DateTime });
