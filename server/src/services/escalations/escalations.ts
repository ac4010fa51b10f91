import type { EscalationRule } from '@tray-notify/contract';
import { type Db, inTransaction, type PrismaClient } from '../../db/prisma.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { badRequest } from '../../lib/errors.ts';
import { typeLabel } from '../../domain/types.ts';
import { plural } from '../../lib/plural.ts';
import { recordActivity } from '../activity/record-activity.ts';
import { createNotification } from '../notifications/create-notification.ts';

const toRule = (row: { type: string; afterMinutes: number; notifySuperAdmins: boolean; emailAdmins: boolean }): EscalationRule => ({
  type: row.type as EscalationRule['type'],
  after_minutes: row.afterMinutes,
  notify_super_admins: row.notifySuperAdmins,
  email_admins: row.emailAdmins,
});

/** The current workspace's escalations, one per type that has one. */
export async function listEscalations(db: Db, workspaceId: string) {
  const rows = await db.notificationEscalation.findMany({ where: { workspaceId }, orderBy: { type: 'asc' } });
  return { items: rows.map(toRule) };
}

/** Replaces the workspace's escalations (types left out have none), recorded in the activity log. */
export async function replaceEscalations(db: Db, actor: Actor, items: EscalationRule[]) {
  const types = items.map((item) => item.type);
  if (new Set(types).size !== types.length) throw badRequest('body.items: one escalation per type.');
  const idle = items.find((item) => !item.notify_super_admins && !item.email_admins);
  if (idle) throw badRequest(`body.items: the escalation of ${idle.type} tells nobody: set notify_super_admins or email_admins.`);
  return inTransaction(db, async (tx) => {
    await tx.notificationEscalation.deleteMany({ where: { workspaceId: actor.workspaceId } });
    await tx.notificationEscalation.createMany({
      data: items.map((item) => ({
        workspaceId: actor.workspaceId,
        type: item.type,
        afterMinutes: item.after_minutes,
        notifySuperAdmins: item.notify_super_admins,
        emailAdmins: item.email_admins,
        updatedById: actor.userId,
      })),
    });
    await recordActivity(tx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      type: 'workspace.escalations_changed',
      summary:
        items.length === 0
          ? 'Removed every alert escalation'
          : `Set escalations: ${items.map((item) => `${typeLabel(item.type)} after ${plural(item.after_minutes, 'minute')}`).join(', ')}`,
      meta: { items: items.map((item) => ({ ...item })) },
    });
    return listEscalations(tx, actor.workspaceId);
  });
}

interface DueRow {
  id: string;
  workspace_id: string;
  type: string;
  title: string;
  target_url: string | null;
  after_minutes: number;
  notify_super_admins: boolean;
  email_admins: boolean;
}

/**
 * Escalates every workspace-level notification that nobody claimed and no admin read within
 * its type's escalation time: the super admins are notified and/or the admins get it in their
 * next digest mail, and the activity log says so. The notifications are marked and changed in
 * one locked statement (`FOR UPDATE SKIP LOCKED`, by the database's clock) in the same
 * transaction as what the escalation sends, so with several instances each escalates once;
 * a claim holds the same row lock, so an item is either claimed or escalated first, never both
 * at once. Returns how many escalated.
 */
export async function escalateDue(db: PrismaClient, batch = 100): Promise<number> {
  return db.$transaction(async (tx) => {
    const due = await tx.$queryRaw<DueRow[]>`
      WITH due AS (
        SELECT n.id, e.after_minutes, e.notify_super_admins, e.email_admins
          FROM notifications n
          JOIN notification_escalations e ON e.workspace_id = n.workspace_id AND e.type = n.type
         WHERE n.user_id IS NULL AND n.claimed_by_id IS NULL AND n.escalated_at IS NULL
           AND n.created_at <= now() - make_interval(mins => e.after_minutes)
           AND NOT EXISTS (SELECT 1 FROM notification_receipts r WHERE r.notification_id = n.id AND r.read_at IS NOT NULL)
         ORDER BY n.created_at
         LIMIT ${batch}
           FOR UPDATE OF n SKIP LOCKED)
      UPDATE notifications n SET escalated_at = now()
        FROM due WHERE n.id = due.id AND n.escalated_at IS NULL AND n.claimed_by_id IS NULL
      RETURNING n.id, n.workspace_id, n.type, n.title, n.target_url, due.after_minutes, due.notify_super_admins, due.email_admins`;
    for (const row of due) {
      const told: string[] = [];
      if (row.notify_super_admins) {
        await createNotification(tx, {
          workspaceId: row.workspace_id,
          userId: null,
          audience: 'super_admins',
          type: 'critical_other',
          title: `Unclaimed for ${plural(row.after_minutes, 'minute')}: ${row.title}`,
          body: 'No admin of the workspace claimed or read it.',
          targetUrl: row.target_url,
          meta: { escalated_notification_id: row.id, escalated_type: row.type },
        });
        told.push('the super admins');
      }
      if (row.email_admins) {
        // Into each admin's next digest; a pending entry already covers it.
        await tx.$executeRaw`
          INSERT INTO email_outbox (notification_id, user_id)
          SELECT r.notification_id, r.user_id FROM notification_receipts r
           WHERE r.notification_id = ${row.id}::uuid
             AND NOT EXISTS (SELECT 1 FROM email_outbox o WHERE o.notification_id = r.notification_id AND o.user_id = r.user_id AND o.sent_at IS NULL)`;
        told.push("the admins' email");
      }
      await recordActivity(tx, {
        workspaceId: row.workspace_id,
        actorUserId: null,
        type: 'notification.escalated',
        entity: { type: 'notification', id: row.id },
        summary: `Escalated “${row.title}” to ${told.join(' and ')}: unclaimed and unread after ${plural(row.after_minutes, 'minute')}`,
        severity: 'warning',
        meta: {
          notification_id: row.id,
          title: row.title,
          after_minutes: row.after_minutes,
          notified_super_admins: row.notify_super_admins,
          emailed_admins: row.email_admins,
        },
      });
    }
    return due.length;
  });
}
