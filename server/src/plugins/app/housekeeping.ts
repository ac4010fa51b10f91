import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { maintainActivityPartitions } from '../../services/activity/activity-partitions.ts';
import { pruneExpiredRecords } from '../../services/housekeeping/prune-expired-records.ts';
import { pruneReadNotifications } from '../../services/housekeeping/prune-read-notifications.ts';

export interface HousekeepingOptions {
  everyMs?: number;
  /** Days; 0 keeps everything. */
  activityRetentionDays?: number;
  readNotificationRetentionDays?: number;
}

/**
 * Hourly (and once shortly after start): prunes bookkeeping tables, creates the coming
 * months' activity partitions and applies the retentions. Stops with the app.
 */
export default fp(
  async function housekeeping(fastify: FastifyInstance, options: HousekeepingOptions) {
    const run = async () => {
      try {
        const pruned = await pruneExpiredRecords(fastify.db);
        if (Object.values(pruned).some((count) => count > 0)) fastify.log.info({ pruned }, 'pruned expired records');
      } catch (error) {
        fastify.log.warn({ err: error }, 'pruning expired records failed; will retry');
      }
      try {
        const activity = await maintainActivityPartitions(fastify.db, { retentionDays: options.activityRetentionDays });
        if (activity.created.length + activity.dropped.length + activity.skipped.length + activity.deletedFromDefault > 0) {
          fastify.log.info({ activity }, 'maintained activity partitions');
        }
      } catch (error) {
        fastify.log.warn({ err: error }, 'maintaining activity partitions failed; will retry');
      }
      if (!options.readNotificationRetentionDays) return;
      try {
        const notifications = await pruneReadNotifications(fastify.db, { retentionDays: options.readNotificationRetentionDays });
        if (notifications.receipts > 0) fastify.log.info({ notifications }, 'pruned read notifications');
      } catch (error) {
        fastify.log.warn({ err: error }, 'pruning read notifications failed; will retry');
      }
    };
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
