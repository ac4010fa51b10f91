import { Type, type Static } from 'typebox';
import { AlertRuleInput, AlertRuleItem, alertRuleFields } from '@tray-notify/contract';
import { Uuid } from './common.ts';

export { AlertRuleItem };

export const CreateAlertRuleBody = AlertRuleInput;
export type CreateAlertRuleBody = Static<typeof CreateAlertRuleBody>;

export const UpdateAlertRuleBody = Type.Partial(Type.Object(alertRuleFields), { additionalProperties: false, minProperties: 1 });
export type UpdateAlertRuleBody = Static<typeof UpdateAlertRuleBody>;

export const AlertRuleListQuery = Type.Object({ workspace_id: Type.Optional(Uuid) }, { additionalProperties: false });
