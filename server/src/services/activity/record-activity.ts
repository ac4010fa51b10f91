import type { Db, Prisma } from '../../db/prisma.ts';
import type { Severity } from '../../domain/types.ts';

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

/** Appends one entry to the activity log; call it inside the transaction of the change it records. */
export function recordActivity(db: Db, activity: NewActivity) {
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
