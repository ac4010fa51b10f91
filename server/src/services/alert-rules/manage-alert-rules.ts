import { type Db, inTransaction, type Prisma } from '../../db/prisma.ts';
import { AUDIT_ACTIVITY_TYPES, type Severity } from '../../domain/types.ts';
import { badRequest, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { recordActivity } from '../activity/record-activity.ts';
import { workspaceToCreateIn, type WorkspaceManager } from '../workspaces/workspace-manager.ts';
import { ALERT_ACTIVITY_TYPE, alertRuleSelect, readNotify, toAlertRuleItem, type AlertRuleRow, type RuleNotify } from './alert-rule-item.ts';

/**
 * Who manages rules: a super admin (every rule, any workspace or none) or a workspace admin
 * (the rules of their current workspace only; anything else is not found).
 */
export type RuleManager = WorkspaceManager;

export interface RuleFields {
  name: string;
  types: string[];
  minSeverity: Severity | null;
  threshold: number;
  windowMinutes: number;
  notify: RuleNotify;
  channels: string[];
}

const scope = (manager: RuleManager): Prisma.AlertRuleWhereInput =>
  manager.isSuperAdmin ? {} : { workspaceId: manager.workspaceId ?? '00000000-0000-0000-0000-000000000000' };

export async function listAlertRules(db: Db, manager: RuleManager, filter: { workspaceId?: string } = {}) {
  const rows = await db.alertRule.findMany({
    where: { AND: [scope(manager), filter.workspaceId ? { workspaceId: filter.workspaceId } : {}] },
    select: alertRuleSelect,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 500,
  });
  return rows.map(toAlertRuleItem);
}

async function findRule(tx: Prisma.TransactionClient, manager: RuleManager, id: string, lock: boolean) {
  if (lock) await tx.$queryRaw`SELECT 1 FROM alert_rules WHERE id = ${id}::uuid FOR UPDATE`;
  const rule = await tx.alertRule.findFirst({ where: { AND: [scope(manager), { id }] }, select: alertRuleSelect });
  if (!rule) throw notFound('No such alert rule.');
  return rule;
}

/** Refuses a rule that would fire on alerts, tell nobody, or tell someone what they may not see. */
async function checkRule(tx: Prisma.TransactionClient, manager: RuleManager, workspaceId: string | null, rule: RuleFields) {
  if (rule.types.includes(ALERT_ACTIVITY_TYPE)) {
    throw badRequest(
      `\`types\` cannot include ${ALERT_ACTIVITY_TYPE}: rules are never set off by alerts (two rules watching each other's alerts would keep firing each other).`,
      'alert_rule_type_refused',
    );
  }
  const { roles, user_ids: userIds, super_admins: superAdmins } = rule.notify;
  if (roles.length === 0 && userIds.length === 0 && !superAdmins) {
    throw badRequest('`notify` names nobody: give `roles`, `user_ids` or `super_admins: true`.', 'no_recipients');
  }
  if (superAdmins && !manager.isSuperAdmin) throw forbidden('Only super admins can notify super admins.');
  if (roles.length > 0 && !workspaceId) {
    throw badRequest('`notify.roles` needs a workspace: a rule across workspaces notifies `user_ids` (super admins) or `super_admins`.');
  }
  const auditTypes = rule.types.filter((type) => (AUDIT_ACTIVITY_TYPES as readonly string[]).includes(type));
  if (auditTypes.length > 0 && roles.includes('member')) {
    throw badRequest(`Members do not see ${auditTypes.join(', ')}: notify admins for such rules.`, 'recipient_cannot_see');
  }
  if (userIds.length === 0) return;
  const users = await tx.user.findMany({
    where: { id: { in: userIds } },
    select: { id: true, isSuperAdmin: true, memberships: { where: { workspaceId: workspaceId ?? undefined }, select: { role: true } } },
  });
  for (const id of userIds) {
    const user = users.find((candidate) => candidate.id === id);
    const role = workspaceId ? user?.memberships[0]?.role : undefined;
    if (!user || (!user.isSuperAdmin && !role)) {
      throw badRequest(
        workspaceId ? `User ${id} is not a member of the rule's workspace.` : `User ${id} is not a super admin: a rule across workspaces can only notify super admins.`,
        'recipient_not_member',
      );
    }
    if (!user.isSuperAdmin && role !== 'admin' && auditTypes.length > 0) {
      throw badRequest(`User ${id} is a member and does not see ${auditTypes.join(', ')}.`, 'recipient_cannot_see');
    }
  }
}

const describe = (rule: { name: string; types: string[]; threshold: number; windowMinutes: number }) =>
  `“${rule.name}” (${rule.threshold} × ${rule.types.join(', ')} in ${rule.windowMinutes} min)`;

/**
 * The audit entry of a change to a rule: in the rule's workspace, or for a rule across
 * workspaces a service-wide entry that only super admins see.
 */
function auditRule(tx: Prisma.TransactionClient, manager: RuleManager, rule: AlertRuleRow, type: string, verb: string, meta: Prisma.InputJsonObject = {}) {
  return recordActivity(tx, {
    workspaceId: rule.workspaceId,
    actorUserId: manager.userId,
    type,
    entity: { type: 'alert_rule', id: rule.id },
    summary: `${manager.name} ${verb} alert rule ${describe(rule)}`,
    meta: { name: rule.name, ...meta },
    severity: 'warning',
  });
}

/**
 * Refuses a rule beyond the workspace's cap (rules across workspaces have a cap of their own).
 * A transaction-scoped advisory lock per workspace makes parallel creates count one at a time,
 * so the cap holds exactly; the lock ends with the transaction that inserts the rule.
 */
async function checkRoomForRule(tx: Prisma.TransactionClient, workspaceId: string | null, rulesPerWorkspace: number) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`alert-rules:${workspaceId ?? 'across-workspaces'}`}))`;
  const held = await tx.alertRule.count({ where: { workspaceId } });
  if (held < rulesPerWorkspace) return;
  if (!workspaceId) {
    throw conflict(`At most ${rulesPerWorkspace} alert rules may watch every workspace, and there are ${held}: change or delete one of them instead.`, 'alert_rule_limit');
  }
  const { name } = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { name: true } });
  throw conflict(`A workspace may keep at most ${rulesPerWorkspace} alert rules, and ${name} has ${held}: change or delete one of them instead.`, 'alert_rule_limit');
}

export function createAlertRule(
  db: Db,
  manager: RuleManager,
  input: RuleFields & { workspaceId?: string | null },
  limits: { rulesPerWorkspace: number },
) {
  return inTransaction(db, async (tx) => {
    const workspaceId = await workspaceToCreateIn(tx, manager, input.workspaceId, 'rules');
    await checkRule(tx, manager, workspaceId, input);
    await checkRoomForRule(tx, workspaceId, limits.rulesPerWorkspace);
    const rule = await tx.alertRule.create({
      data: {
        workspaceId,
        name: input.name,
        types: input.types,
        minSeverity: input.minSeverity,
        threshold: input.threshold,
        windowMinutes: input.windowMinutes,
        notify: { ...input.notify },
        channels: input.channels,
        createdById: manager.userId,
      },
      select: alertRuleSelect,
    });
    await auditRule(tx, manager, rule, 'alert_rule.created', 'created');
    return toAlertRuleItem(rule);
  });
}

export function updateAlertRule(db: Db, manager: RuleManager, id: string, changes: Partial<RuleFields>) {
  return inTransaction(db, async (tx) => {
    const before = await findRule(tx, manager, id, true);
    const current: RuleFields = {
      name: before.name,
      types: before.types,
      minSeverity: before.minSeverity,
      threshold: before.threshold,
      windowMinutes: before.windowMinutes,
      notify: readNotify(before.notify),
      channels: before.channels,
    };
    const next: RuleFields = { ...current, ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) };
    await checkRule(tx, manager, before.workspaceId, next);
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of Object.keys(current) as (keyof RuleFields)[]) {
      if (JSON.stringify(current[key]) !== JSON.stringify(next[key])) changed[key] = { from: current[key], to: next[key] };
    }
    if (Object.keys(changed).length === 0) return toAlertRuleItem(before);
    const rule = await tx.alertRule.update({
      where: { id },
      data: { ...next, notify: { ...next.notify } },
      select: alertRuleSelect,
    });
    await auditRule(tx, manager, rule, 'alert_rule.updated', 'updated', {
      changes: Object.fromEntries(Object.entries(changed).map(([key, value]) => [snake(key), value])) as Prisma.InputJsonObject,
    });
    return toAlertRuleItem(rule);
  });
}

export function deleteAlertRule(db: Db, manager: RuleManager, id: string) {
  return inTransaction(db, async (tx) => {
    const rule = await findRule(tx, manager, id, true);
    await tx.alertRule.delete({ where: { id } });
    await auditRule(tx, manager, rule, 'alert_rule.deleted', 'deleted');
  });
}

const snake = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
