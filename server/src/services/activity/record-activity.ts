import { type Db, inTransaction, type Prisma } from '../../db/prisma.ts';
import type { Sql } from '../../db/sql.ts';
import { criticalEvent } from '../../domain/notifications.ts';
import type { Severity } from '../../domain/types.ts';
import { uuidV7 } from '../../lib/uuid-v7.ts';
import { createNotification } from '../notifications/create-notification.ts';

export interface NewActivity {
  /** Given when the caller needs the id before the entry is recorded (uuidV7); made here otherwise. */
  id?: string;
  /** Null: an entry about the whole service, which only super admins see. */
  workspaceId: string | null;
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
  const { workspaceId } = activity;
  // A service-wide entry has no workspace to notify in: super admins see it in their feed.
  if (activity.severity !== 'critical' || workspaceId === null) return insertActivity(db, activity);
  return inTransaction(db, async (tx) => {
    const row = await insertActivity(tx, activity);
    await notifyIfCritical(tx, activity, row.id);
    return row;
  });
}

/**
 * What a critical entry of a workspace sets off, whoever reports it (a member through the API,
 * an integration through POST /api/events): the super admins are notified.
 */
async function notifyIfCritical(db: Db | Sql, activity: NewActivity, activityId: string) {
  if (activity.severity !== 'critical' || activity.workspaceId === null) return;
  await createNotification(
    db,
    criticalEvent({
      workspaceId: activity.workspaceId,
      activityId,
      type: activity.type,
      summary: activity.summary,
      entity: activity.entity,
    }),
  );
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

/**
 * Appends many entries in one statement (for batches from integrations), with what critical
 * ones set off (as recordActivity); returns their ids in the order given. Call it inside the
 * transaction of the change it records, as its last statement where the change allows: from
 * the insert until commit the transaction holds the chain head of each workspace it writes
 * (every other writer of that workspace's log waits), so the critical entries' notifications
 * are created before it, under ids chosen here.
 */
export async function recordActivities(sql: Sql, activities: NewActivity[]): Promise<string[]> {
  if (activities.length === 0) return [];
  const ids = activities.map((activity) => activity.id ?? uuidV7());
  for (const [index, activity] of activities.entries()) await notifyIfCritical(sql, activity, ids[index]!);
  const column = <T>(pick: (activity: NewActivity) => T) => activities.map(pick);
  await sql.query(
    `INSERT INTO activities (id, workspace_id, actor_user_id, type, entity_type, entity_id, summary, meta, severity, created_at)
     SELECT id, workspace_id, actor_user_id, type, entity_type, entity_id, summary, meta::jsonb, severity::"Severity", coalesce(created_at, now())
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[])
            WITH ORDINALITY AS a(id, workspace_id, actor_user_id, type, entity_type, entity_id, summary, meta, severity, created_at, n)
      ORDER BY n`,
    [
      ids,
      column((a) => a.workspaceId),
      column((a) => a.actorUserId),
      column((a) => a.type),
      column((a) => a.entity?.type ?? null),
      column((a) => a.entity?.id ?? null),
      column((a) => a.summary),
      column((a) => JSON.stringify(a.meta ?? {})),
      column((a) => a.severity ?? 'info'),
      column((a) => a.createdAt ?? null),
    ],
    'record-activities',
  );
  return ids;
}
