import type { Prisma, PrismaClient } from '../../db/prisma.ts';
import type { Sql } from '../../db/sql.ts';
import { jobFailed, playbookCompleted, playbookFailed } from '../../domain/notifications.ts';
import { INTEGRATION_SOURCE } from '../../domain/targets.ts';
import type { Severity } from '../../domain/types.ts';
import { reportedTime } from '../../lib/dates.ts';
import { badRequest } from '../../lib/errors.ts';
import { uuidV7 } from '../../lib/uuid-v7.ts';
import { recordActivities } from '../activity/record-activity.ts';
import type { NewNotification } from '../../domain/notifications.ts';
import { createNotification } from '../notifications/create-notification.ts';
import { idempotent, type IdempotencyScope } from './with-idempotency.ts';
import { WorkspaceWriter } from './workspace-writer.ts';

export interface IntegrationEvent {
  type: string;
  summary: string;
  entity_type?: string;
  entity_id?: string;
  meta?: object;
  severity?: Severity;
  occurred_at?: string;
}

/**
 * Failures are critical whatever the sender says: they must reach critical events. No other
 * type may be sent as critical: one workspace's integration must not flood everyone's view.
 */
const CRITICAL_TYPES = new Set(['job.failed', 'playbook.failed']);

const text = (value: unknown, fallback: string) => (typeof value === 'string' && value ? value : fallback);

/**
 * The notification rules of the built-in flows, applied to events from other systems.
 * Events only name their own entities, so the rules that need one of our users or leads
 * (task assigned, reply received) are reachable through their own endpoints only.
 */
function notificationFor(workspaceId: string, event: IntegrationEvent, activityId: string): NewNotification | null {
  const id = event.entity_id ?? activityId;
  const meta = (event.meta ?? {}) as Record<string, unknown>;
  switch (event.type) {
    case 'job.failed':
      return jobFailed({ workspaceId, id, kind: text(meta.kind, event.entity_type ?? 'job'), error: text(meta.error, event.summary) });
    case 'playbook.completed':
      return playbookCompleted({
        workspaceId,
        id,
        playbookName: text(meta.playbook, 'Playbook'),
        leadsAdded: typeof meta.leads_added === 'number' ? meta.leads_added : 0,
      });
    case 'playbook.failed':
      return playbookFailed({ workspaceId, id, playbookName: text(meta.playbook, 'Playbook'), error: text(meta.error, event.summary) });
    default:
      return null;
  }
}

/**
 * Records a batch of events for a workspace, all or nothing, inside the caller's transaction:
 * the notifications of the few events that have one, then the activities in one statement,
 * last, so the workspace's chain head is held only for that insert and the commit.
 */
export async function ingestEvents(tx: Sql, workspaceId: string, events: IntegrationEvent[]) {
  const now = Date.now();
  const occurredAt = events.map((event, index) => {
    if (event.severity === 'critical' && !CRITICAL_TYPES.has(event.type)) {
      throw badRequest(
        `body.events.${index}.severity: critical is reserved for ${[...CRITICAL_TYPES].join(' and ')} (always critical); use warning.`,
      );
    }
    if (event.meta && 'changes' in event.meta) {
      throw badRequest(
        `body.events.${index}.meta.changes: reserved for changes made in this app (shown as such in the feed); report what changed elsewhere under another key.`,
      );
    }
    return event.occurred_at ? reportedTime(event.occurred_at, `body.events.${index}.occurred_at`, now) : undefined;
  });
  const activityIds = events.map(() => uuidV7());
  let notifications = 0;
  for (const [i, event] of events.entries()) {
    const notification = notificationFor(workspaceId, event, activityIds[i]!);
    if (notification) {
      await createNotification(tx, notification);
      notifications += 1;
    }
  }
  await recordActivities(
    tx,
    events.map((event, index) => ({
      id: activityIds[index],
      workspaceId,
      actorUserId: null,
      type: event.type,
      entity: event.entity_type && event.entity_id ? { type: event.entity_type, id: event.entity_id } : undefined,
      summary: event.summary,
      meta: { ...(event.meta as Prisma.InputJsonObject), source: INTEGRATION_SOURCE },
      severity: CRITICAL_TYPES.has(event.type) ? 'critical' : (event.severity ?? 'info'),
      createdAt: occurredAt[index],
    })),
  );
  return { accepted: events.length, activity_ids: activityIds, notifications };
}

const writers = new WeakMap<PrismaClient, WorkspaceWriter>();

/**
 * POST /api/events: a batch recorded under the caller's Idempotency-Key, in a transaction the
 * workspace's writer may share with the workspace's other batches arriving at the same time
 * (one commit for all, each batch all or nothing).
 */
export function ingestEventBatch(db: PrismaClient, scope: IdempotencyScope, events: IntegrationEvent[]) {
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = new WorkspaceWriter(db)));
  return writer.write(scope.workspaceId, (tx) =>
    idempotent(tx, scope, async () => ({ statusCode: 201, body: await ingestEvents(tx, scope.workspaceId, events) })),
  );
}
