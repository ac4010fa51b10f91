import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { maintainActivityPartitions } from '../../services/activity/activity-partitions.ts';
import { type CheckpointPolicy, signDueCheckpoints } from '../../services/activity/chain/checkpoints.ts';
import { pruneExpiredRecords, pruneRateLimitBuckets } from '../../services/housekeeping/prune-expired-records.ts';
import { pruneReadNotifications } from '../../services/housekeeping/prune-read-notifications.ts';
import { pruneWorkspaceActivity } from '../../services/retention/activity-retention.ts';
import { pruneStreamLog } from '../../stream/prune-stream-log.ts';

export interface HousekeepingOptions {
  everyMs?: number;
  /** How long the stream's event log is kept; a client resuming from further back gets `resync`. */
  streamRetentionMs: number;
  /** Days of activity kept (whole months are dropped); 0 or unset keeps everything. Workspaces keeping less are pruned to their own. */
  activityRetentionDays?: number;
  /** Days read notifications are kept; 0 or unset keeps them. */
  readNotificationRetentionDays?: number;
  /** ACTIVITY_MIN_RETENTION_DAYS: no workspace keeps less, whatever it set. */
  activityMinRetentionDays?: number;
  /** When activity chains get signed checkpoints (checked every minute, or more often when due sooner). */
  auditCheckpoint?: CheckpointPolicy;
}

/**
 * The one scheduler of pruning: bookkeeping tables, the stream's log, the activity log's
 * monthly partitions (the coming months created, expired ones dropped), the activity of
 * workspaces that keep less than the server, and read notifications, hourly (and once
 * shortly after start); stops with the app.
 */
export default fp(
  async function housekeeping(fastify: FastifyInstance, options: HousekeepingOptions) {
    const task = async (name: string, prune: () => Promise<Record<string, number>>) => {
      try {
        const pruned = await prune();
        if (Object.values(pruned).some((count) => count > 0)) fastify.log.info({ pruned }, `pruned ${name}`);
      } catch (error) {
        fastify.log.warn({ err: error }, `pruning ${name} failed; will retry`);
      }
    };
    const run = async () => {
      await task('expired records', () => pruneExpiredRecords(fastify.db));
      await task('rate-limit windows', async () => ({ rateLimitBuckets: await pruneRateLimitBuckets(fastify.db) }));
      await task('the stream log', () => pruneStreamLog(fastify.db, new Date(Date.now() - options.streamRetentionMs)));
      await task('activity partitions', async () => {
        const done = await maintainActivityPartitions(fastify.db, { retentionDays: options.activityRetentionDays });
        if (done.skipped.length > 0) fastify.log.warn({ skipped: done.skipped }, 'expired activity months wait for the next run (lock not granted)');
        return { created: done.created.length, dropped: done.dropped.length, deletedFromDefault: done.deletedFromDefault };
      });
      const readNotificationDays = options.readNotificationRetentionDays;
      if (readNotificationDays) {
        await task('read notifications', async () => {
          const done = await pruneReadNotifications(fastify.db, { retentionDays: readNotificationDays });
          return { receipts: done.receipts, notifications: done.notifications };
        });
      }
      await task('activity past workspace retention', () =>
        pruneWorkspaceActivity(fastify.db, options.activityRetentionDays ?? 0, new Date(), options.activityMinRetentionDays ?? 0),
      );
    };
    const checkpointPolicy = options.auditCheckpoint;
    if (checkpointPolicy) {
      const sign = async () => {
        try {
          const signed = await signDueCheckpoints(fastify.db, checkpointPolicy);
          if (signed > 0) fastify.log.info({ signed }, 'signed activity checkpoints');
        } catch (error) {
          fastify.log.warn({ err: error }, 'signing activity checkpoints failed; will retry');
        }
      };
      const checkpointTimer = setInterval(sign, Math.min(60_000, checkpointPolicy.everyMs)).unref();
      fastify.addHook('onClose', async () => clearInterval(checkpointTimer));
    }
    const every = options.everyMs ?? 3600 * 1000;
    const first = setTimeout(run, Math.min(every, 60_000)).unref();
    const timer = setInterval(run, every).unref();
    fastify.addHook('onClose', async () => {
      clearTimeout(first);
      clearInterval(timer);
    });
  },
  { name: 'housekeeping', dependencies: ['db'] },
);
