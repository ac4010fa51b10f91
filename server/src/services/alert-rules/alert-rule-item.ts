import type { Prisma } from '../../db/prisma.ts';
import type { Role } from '../../domain/types.ts';

/** The entry each firing records: never counted by any rule, or rules would set each other off. */
export const ALERT_ACTIVITY_TYPE = 'alert_rule.triggered';

/** Who a rule tells, as stored in alert_rules.notify. */
export interface RuleNotify {
  roles: Role[];
  user_ids: string[];
  super_admins: boolean;
}

export const alertRuleSelect = {
  id: true,
  workspaceId: true,
  name: true,
  types: true,
  minSeverity: true,
  threshold: true,
  windowMinutes: true,
  notify: true,
  channels: true,
  lastFiredAt: true,
  createdAt: true,
  updatedAt: true,
  workspace: { select: { name: true } },
  createdBy: { select: { id: true, name: true } },
} satisfies Prisma.AlertRuleSelect;

export type AlertRuleRow = Prisma.AlertRuleGetPayload<{ select: typeof alertRuleSelect }>;

export const readNotify = (value: unknown): RuleNotify => {
  const notify = (value ?? {}) as Partial<RuleNotify>;
  return { roles: notify.roles ?? [], user_ids: notify.user_ids ?? [], super_admins: notify.super_admins ?? false };
};

export const toAlertRuleItem = (rule: AlertRuleRow) => ({
  id: rule.id,
  workspace_id: rule.workspaceId,
  workspace_name: rule.workspace?.name ?? null,
  name: rule.name,
  types: rule.types,
  min_severity: rule.minSeverity,
  threshold: rule.threshold,
  window_minutes: rule.windowMinutes,
  notify: readNotify(rule.notify),
  channels: rule.channels,
  created_by: rule.createdBy,
  last_fired_at: rule.lastFiredAt?.toISOString() ?? null,
  created_at: rule.createdAt.toISOString(),
  updated_at: rule.updatedAt.toISOString(),
});
