import { type Db, inTransaction, type Prisma } from '../../db/prisma.ts';
import { criticalEvent } from '../../domain/notifications.ts';
import type { Severity } from '../../domain/types.ts';
import { createNotification } from '../notifications/create-notification.ts';

export interface NewActivity {
  workspaceId: string;
  actorUserId: string | null;
  type: string;
  entity?: { type: string; id: string };
  summary: string;
  meta?: Prisma.InputJsonObject;
  severity?: Severity;
  /** Defaults to now; integrations report when the event happened. */
  createdAt?: Date;
}

/**
 * Appends one entry to the activity log; call it inside the transaction of the change it
 * records. A critical entry also notifies the super admins, in the same transaction.
 */
export function recordActivity(db: Db, activity: NewActivity) {
  if (activity.severity !== 'critical') return insertActivity(db, activity);
  return inTransaction(db, async (tx) => {
    const row = await insertActivity(tx, activity);
    await createNotification(
      tx,
      criticalEvent({
        workspaceId: activity.workspaceId,
        activityId: row.id,
        type: activity.type,
        summary: activity.summary,
        entity: activity.entity,
      }),
    );
    return row;
  });
}

function insertActivity(db: Db, activity: NewActivity) {
  return db.activity.create({
    data: {
      workspaceId: activity.workspaceId,
      actorUserId: activity.actorUserId,
      type: activity.type,
      entityType: activity.entity?.type ?? null,
      entityId: activity.entity?.id ?? null,
      summary: activity.summary,
      meta: activity.meta ?? {},
      severity: activity.severity ?? 'info',
      createdAt: activity.createdAt,
    },
    select: { id: true, createdAt: true },
  });
}
