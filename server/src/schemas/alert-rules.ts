import { Type, type Static } from 'typebox';
import { ACTIVITY_TYPES, ROLES, SEVERITIES } from '../domain/types.ts';
import { DateTime, Nullable, Uuid } from './common.ts';

const ActivityType = Type.Enum([...ACTIVITY_TYPES]);
const RuleChannel = Type.Enum(['in_app', 'email'], { description: 'in_app always; email adds the notification to each recipient’s next digest' });

export const AlertRuleNotify = Type.Object(
  {
    roles: Type.Optional(Type.Array(Type.Enum([...ROLES]), { uniqueItems: true, maxItems: 2, description: "Everyone with these roles in the rule's workspace" })),
    user_ids: Type.Optional(Type.Array(Uuid, { uniqueItems: true, maxItems: 50, description: 'Named members of the workspace (or super admins)' })),
    super_admins: Type.Optional(Type.Boolean({ description: 'Every super admin (set by super admins only)' })),
  },
  { additionalProperties: false },
);

const ruleFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  types: Type.Array(ActivityType, { minItems: 1, maxItems: 30, uniqueItems: true }),
  min_severity: Type.Optional(Nullable(Type.Enum([...SEVERITIES]))),
  threshold: Type.Integer({ minimum: 1, maximum: 10_000, description: 'How many matching entries within the window fire the rule' }),
  window_minutes: Type.Integer({ minimum: 1, maximum: 10_080, description: 'The window; after firing, the rule stays quiet this long' }),
  notify: AlertRuleNotify,
  channels: Type.Optional(Type.Array(RuleChannel, { uniqueItems: true, maxItems: 2 })),
};

export const CreateAlertRuleBody = Type.Object(
  { ...ruleFields, workspace_id: Type.Optional(Nullable(Uuid, )) },
  { additionalProperties: false },
);
export type CreateAlertRuleBody = Static<typeof CreateAlertRuleBody>;

export const UpdateAlertRuleBody = Type.Partial(Type.Object(ruleFields), { additionalProperties: false, minProperties: 1 });
export type UpdateAlertRuleBody = Static<typeof UpdateAlertRuleBody>;

export const AlertRuleItem = Type.Object({
  id: Uuid,
  workspace_id: Nullable(Uuid),
  workspace_name: Nullable(Type.String()),
  name: Type.String(),
  types: Type.Array(Type.String()),
  min_severity: Nullable(Type.String()),
  threshold: Type.Integer(),
  window_minutes: Type.Integer(),
  notify: Type.Object({ roles: Type.Array(Type.String()), user_ids: Type.Array(Uuid), super_admins: Type.Boolean() }),
  channels: Type.Array(Type.String()),
  created_by: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  last_fired_at: Nullable(DateTime),
  created_at: DateTime,
  updated_at: DateTime,
});

export const AlertRuleListQuery = Type.Object(
  { workspace_id: Type.Optional(Uuid) },
  { additionalProperties: false },
);
