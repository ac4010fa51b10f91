import { type Db, inTransaction, type Prisma } from '../../db/prisma.ts';
import { AUDIT_ACTIVITY_TYPES } from '../../domain/types.ts';
import { recordActivity } from '../activity/record-activity.ts';
import { createNotification } from '../notifications/create-notification.ts';
import { readNotify } from './alert-rule-item.ts';

/** Entries a notification names (the newest); the count covers all of them. */
const NAMED_ENTRIES = 10;

interface FiredRule {
  id: string;
  workspace_id: string | null;
  name: string;
  types: string[];
  threshold: number;
  window_minutes: number;
  notify: unknown;
  channels: string[];
  matches: { id: string; workspace_id: string; summary: string }[];
  match_count: number;
}

/**
 * Checks every rule that is not in its quiet window and fires those whose threshold is met.
 * Runs in the background on every instance (plugins/app/alert-rules), never in the write
 * that adds the entries. Returns the ids of the rules fired by this call.
 */
export async function evaluateAlertRules(db: Db): Promise<string[]> {
  const due = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM alert_rules
     WHERE last_fired_at IS NULL OR last_fired_at <= now() - make_interval(mins => window_minutes)`;
  const fired: string[] = [];
  for (const { id } of due) {
    if (await fireIfDue(db, id)) fired.push(id);
  }
  return fired;
}

/**
 * One rule: counts its matching entries since the later of (now - window) and its last firing,
 * and fires when the count reaches the threshold. The check and the claim are one conditional
 * UPDATE … RETURNING on last_fired_at: when instances or ticks race, the row lock makes the
 * others re-check after the winner commits and find the rule quiet, so a window fires once.
 * The notifications and audit entries commit in the same transaction as the claim.
 */
export function fireIfDue(db: Db, ruleId: string) {
  return inTransaction(db, async (tx) => {
    const [rule] = await tx.$queryRaw<FiredRule[]>`
      WITH r AS (SELECT * FROM alert_rules WHERE id = ${ruleId}::uuid),
      m AS (
        SELECT a.id, a.workspace_id, a.summary, a.created_at
          FROM activities a, r
         -- Service-wide entries (rule changes) are nobody's workspace activity: rules skip them.
         WHERE (r.workspace_id IS NULL AND a.workspace_id IS NOT NULL OR a.workspace_id = r.workspace_id)
           AND a.type = ANY(r.types)
           AND (r.min_severity IS NULL OR a.severity >= r.min_severity)
           AND a.created_at > greatest(now() - make_interval(mins => r.window_minutes), coalesce(r.last_fired_at, '-infinity'))
           AND a.created_at <= now()
         ORDER BY a.created_at DESC, a.id DESC
         LIMIT (SELECT greatest(threshold, ${NAMED_ENTRIES}) FROM r))
      UPDATE alert_rules u SET last_fired_at = now()
        FROM r
       WHERE u.id = r.id
         AND (u.last_fired_at IS NULL OR u.last_fired_at <= now() - make_interval(mins => u.window_minutes))
         AND (SELECT count(*) FROM m) >= u.threshold
      RETURNING u.id, u.workspace_id, u.name, u.types, u.threshold, u.window_minutes, u.notify, u.channels,
                (SELECT count(*)::int FROM m) AS match_count,
                (SELECT coalesce(json_agg(json_build_object('id', id, 'workspace_id', workspace_id, 'summary', summary)
                                          ORDER BY created_at DESC, id DESC), '[]') FROM m) AS matches`;
    if (!rule) return false;
    await announce(tx, rule);
    return true;
  });
}

async function announce(tx: Prisma.TransactionClient, rule: FiredRule) {
  const named = rule.matches.slice(0, NAMED_ENTRIES);
  // A rule across workspaces reports in the workspace of its newest entry.
  const workspaceId = rule.workspace_id ?? named[0]!.workspace_id;
  const workspace = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { name: true } });
  const count = rule.match_count >= rule.threshold && rule.match_count > rule.threshold ? `${rule.match_count}` : `${rule.threshold}`;
  const what = `${count} × ${rule.types.join(', ')} within ${rule.window_minutes} min`;
  const recipients = await recipientsOf(tx, rule);
  const meta = {
    alert_rule_id: rule.id,
    alert_rule_name: rule.name,
    count: rule.match_count,
    threshold: rule.threshold,
    window_minutes: rule.window_minutes,
    types: rule.types,
    activity_ids: named.map((entry) => entry.id),
    entries: named.map((entry) => ({ id: entry.id, summary: entry.summary })),
  };
  for (const userId of recipients) {
    await createNotification(tx, {
      workspaceId,
      userId,
      type: 'alert_rule_triggered',
      title: `Alert: ${rule.name}`,
      body: `${what}${rule.workspace_id ? '' : ` (latest in ${workspace.name})`}. Latest: ${named[0]!.summary}`,
      targetUrl: null,
      meta,
      email: rule.channels.includes('email'),
      reason: `You are one of the people the alert rule “${rule.name}” tells`,
    });
  }
  for (const inWorkspace of new Set(rule.matches.map((entry) => entry.workspace_id))) {
    await recordActivity(tx, {
      workspaceId: inWorkspace,
      actorUserId: null,
      type: 'alert_rule.triggered',
      entity: { type: 'alert_rule', id: rule.id },
      summary: `Alert rule “${rule.name}” fired: ${what}; ${recipients.length} notified`,
      meta: { ...meta, recipient_count: recipients.length },
      severity: 'warning',
    });
  }
}

/**
 * The rule's recipients now (membership may have changed since it was written), each at most
 * once: members with the roles, named users still in the workspace (or super admins), super
 * admins. Members never receive entries they may not see (audit types).
 */
async function recipientsOf(tx: Prisma.TransactionClient, rule: FiredRule): Promise<string[]> {
  const notify = readNotify(rule.notify);
  const audit = rule.types.some((type) => (AUDIT_ACTIVITY_TYPES as readonly string[]).includes(type));
  const roles = audit ? notify.roles.filter((role) => role === 'admin') : notify.roles;
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT u.id FROM users u
     WHERE (${notify.super_admins} AND u.is_super_admin)
        OR (u.id = ANY(${notify.user_ids}::uuid[]) AND (u.is_super_admin OR EXISTS (
              SELECT 1 FROM memberships m
               WHERE m.user_id = u.id AND m.workspace_id = ${rule.workspace_id}::uuid
                 AND (m.role = 'admin' OR NOT ${audit}))))
        OR EXISTS (SELECT 1 FROM memberships m
                    WHERE m.user_id = u.id AND m.workspace_id = ${rule.workspace_id}::uuid
                      AND m.role::text = ANY(${roles}::text[]))
     ORDER BY u.id`;
  return rows.map((row) => row.id);
}
