import { type Db, inTransaction, Prisma } from '../../db/prisma.ts';
import { typeLabel } from '@tray-notify/contract/lists';
import { AUDIT_ACTIVITY_TYPES } from '../../domain/types.ts';
import { recordActivity } from '../activity/record-activity.ts';
import { createNotification } from '../notifications/create-notification.ts';
import { ALERT_ACTIVITY_TYPE, readNotify } from './alert-rule-item.ts';

/** Entries a notification names (the newest); the count covers all of them. */
const NAMED_ENTRIES = 10;

/** Entries an alert links to (the newest, as many as a link to the activity view can carry). */
const LINKED_ENTRIES = 100;

/**
 * Rules counted by one statement. Each rule reads at most max(threshold, 10) ≤ 10,000 of its
 * entries, so a statement stays well within the server's statement deadline on any log size.
 */
const RULES_PER_STATEMENT = 25;

interface FiredRule {
  id: string;
  workspace_id: string | null;
  name: string;
  types: string[];
  threshold: number;
  window_minutes: number;
  notify: unknown;
  channels: string[];
  /** The newest matching entries. */
  matches: { id: string; workspace_id: string; summary: string }[];
  match_count: number;
  /** The workspaces of the entries counted. */
  workspace_ids: string[];
}

/**
 * Where each workspace's turn ended on the previous tick (workspace id, '' for the rules across
 * workspaces → the id of the last rule evaluated): its next turn starts after that rule.
 */
export type RuleRotation = Map<string, string>;

export interface EvaluationOptions {
  /** Rules of one workspace evaluated per tick (the server passes its cap); its further rules take later ticks. */
  rulesPerWorkspace?: number;
  rotation?: RuleRotation;
  /**
   * Fires a rule found at its threshold (`workspaceKey`: its workspace id, '' across
   * workspaces). Unset: each is fired here, one after another, and the call returns their ids.
   * The server hands them to per-workspace lanes instead, so one workspace's firings never hold
   * up the next evaluation (or another workspace's alerts).
   */
  fire?: (ruleId: string, workspaceKey: string) => void;
}

/** Rule `r` is not in its quiet window. */
const DUE = Prisma.sql`(r.last_fired_at IS NULL OR r.last_fired_at <= now() - make_interval(mins => r.window_minutes))`;

/**
 * `columns` of the entries `a` that count towards rule `r` now: its types at or above its
 * severity, in its workspace (or in every workspace), since the later of (now - window) and its
 * last firing, at most `perKey` (order, limit) of each workspace, type and severity. Alerts
 * never count, so no rule is set off by another's alert (nor can rules stored before the API
 * refused the type set each other off); service-wide entries (rule changes) are nobody's
 * workspace activity. Each key is one range of the index (workspace_id, type, severity,
 * created_at), so a rule reads only entries it counts, however many others its workspace holds.
 */
const entriesOfRule = (columns: Prisma.Sql, perKey: Prisma.Sql) => Prisma.sql`
  SELECT ${columns}
    FROM (SELECT r.workspace_id WHERE r.workspace_id IS NOT NULL
          UNION ALL SELECT w.id FROM workspaces w WHERE r.workspace_id IS NULL) w (id),
         unnest(array_remove(r.types, ${ALERT_ACTIVITY_TYPE})) t (type),
         unnest(enum_range(r.min_severity, NULL::"Severity")) s (severity),
         LATERAL (SELECT ${columns} FROM activities a
                   WHERE a.workspace_id = w.id AND a.type = t.type AND a.severity = s.severity
                     AND a.created_at > greatest(now() - make_interval(mins => r.window_minutes), coalesce(r.last_fired_at, '-infinity'))
                     AND a.created_at <= now()
                   ${perKey}) a`;

/** Entries counted for a rule: enough to reach its threshold and to name the newest few. */
const COUNTED = Prisma.sql`LIMIT greatest(r.threshold, ${NAMED_ENTRIES})`;
const NEWEST = Prisma.sql`ORDER BY a.created_at DESC, a.id DESC LIMIT ${LINKED_ENTRIES}`;

/**
 * One tick: finds the due rules whose threshold is met and fires them. Runs in the background
 * on every instance (plugins/app/alert-rules), never in the write that adds the entries.
 * Each workspace gets a turn of at most `rulesPerWorkspace` rules per tick (its further rules
 * rotate through later ticks), and turns are counted interleaved (every workspace's first rule,
 * then every second one …) a statement of a few rules at a time, each rule firing as soon as
 * its statement answers: a workspace with many rules delays its own rules, never another
 * workspace's. Returns the ids of the rules fired by this call.
 */
export async function evaluateAlertRules(db: Db, options: EvaluationOptions = {}): Promise<string[]> {
  const { rulesPerWorkspace = 50, rotation = new Map<string, string>(), fire } = options;
  const resumeAfter = JSON.stringify([...rotation].map(([workspace_key, after]) => ({ workspace_key, after })));
  const turns = await db.$queryRaw<{ id: string; workspace_key: string }[]>`
    WITH rotation AS (SELECT * FROM jsonb_to_recordset(${resumeAfter}::jsonb) AS x(workspace_key text, after uuid)),
    due AS (
      SELECT r.id, coalesce(r.workspace_id::text, '') AS workspace_key,
             row_number() OVER (PARTITION BY r.workspace_id ORDER BY (r.id <= x.after) IS TRUE, r.id) AS turn
        FROM alert_rules r
        LEFT JOIN rotation x ON x.workspace_key = coalesce(r.workspace_id::text, '')
       WHERE ${DUE})
    SELECT id, workspace_key FROM due WHERE turn <= ${rulesPerWorkspace} ORDER BY turn, workspace_key`;
  rotation.clear();
  for (const turn of turns) rotation.set(turn.workspace_key, turn.id);
  const rotationKeyOf = new Map(turns.map((turn) => [turn.id, turn.workspace_key]));

  const fired: string[] = [];
  for (let start = 0; start < turns.length; start += RULES_PER_STATEMENT) {
    const ids = turns.slice(start, start + RULES_PER_STATEMENT).map((turn) => turn.id);
    const atThreshold = await db.$queryRaw<{ id: string }[]>`
      SELECT r.id FROM alert_rules r
       WHERE r.id = ANY(${ids}::uuid[]) AND ${DUE}
         AND (SELECT count(*) FROM (${entriesOfRule(Prisma.sql`a.id`, COUNTED)} ${COUNTED}) m) >= r.threshold`;
    for (const { id } of atThreshold) {
      if (fire) fire(id, rotationKeyOf.get(id) ?? '');
      else if (await fireIfDue(db, id)) fired.push(id);
    }
  }
  return fired;
}

/**
 * One rule: counts its matching entries and fires when the count reaches the threshold. The
 * check and the claim are one conditional UPDATE … RETURNING on last_fired_at: when instances
 * or ticks race, the row lock makes the others re-check after the winner commits and find the
 * rule quiet, so a window fires once. The notifications and audit entries commit in the same
 * transaction as the claim.
 */
export function fireIfDue(db: Db, ruleId: string) {
  return inTransaction(db, async (tx) => {
    const [rule] = await tx.$queryRaw<FiredRule[]>`
      WITH r AS (SELECT * FROM alert_rules WHERE id = ${ruleId}::uuid),
      counted AS (
        SELECT count(*)::int AS match_count, coalesce(array_agg(DISTINCT m.workspace_id), '{}') AS workspace_ids
          FROM r, LATERAL (${entriesOfRule(Prisma.sql`a.workspace_id`, COUNTED)} ${COUNTED}) m),
      named AS (
        SELECT m.* FROM r, LATERAL (${entriesOfRule(Prisma.sql`a.id, a.workspace_id, a.summary, a.created_at`, NEWEST)} ${NEWEST}) m)
      UPDATE alert_rules u SET last_fired_at = now()
        FROM r, counted
       WHERE u.id = r.id
         AND (u.last_fired_at IS NULL OR u.last_fired_at <= now() - make_interval(mins => u.window_minutes))
         AND counted.match_count >= u.threshold
      RETURNING u.id, u.workspace_id, u.name, u.types, u.threshold, u.window_minutes, u.notify, u.channels,
                counted.match_count, counted.workspace_ids::text[] AS workspace_ids,
                (SELECT coalesce(json_agg(json_build_object('id', id, 'workspace_id', workspace_id, 'summary', summary)
                                          ORDER BY created_at DESC, id DESC), '[]') FROM named) AS matches`;
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
  const what = `${count} × ${rule.types.map(typeLabel).join(' or ')} within ${rule.window_minutes} min`;
  // The activity window filtered to the entries that fired it (a path of this app: never on the host app).
  const targetUrl = `/activity?ids=${rule.matches.map((entry) => entry.id).join(',')}`;
  const recipients = await recipientsOf(tx, rule);
  const meta = {
    alert_rule_id: rule.id,
    alert_rule_name: rule.name,
    count: rule.match_count,
    threshold: rule.threshold,
    window_minutes: rule.window_minutes,
    types: rule.types,
    activity_ids: rule.matches.map((entry) => entry.id),
    entries: named.map((entry) => ({ id: entry.id, summary: entry.summary })),
  };
  for (const userId of recipients) {
    await createNotification(tx, {
      workspaceId,
      userId,
      type: 'alert_rule_triggered',
      title: `Alert: ${rule.name}`,
      body: `${what}${rule.workspace_id ? '' : ` (latest in ${workspace.name})`}. Latest: ${named[0]!.summary}`,
      targetUrl,
      meta,
      email: rule.channels.includes('email'),
      reason: `You are one of the people the alert rule “${rule.name}” tells`,
    });
  }
  for (const inWorkspace of rule.workspace_ids) {
    await recordActivity(tx, {
      workspaceId: inWorkspace,
      actorUserId: null,
      type: ALERT_ACTIVITY_TYPE,
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
