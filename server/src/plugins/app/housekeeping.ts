import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { pruneExpiredRecords } from '../../services/housekeeping/prune-expired-records.ts';
import { pruneWorkspaceActivity } from '../../services/retention/activity-retention.ts';

/**
 * Prunes bookkeeping tables, and the activity of workspaces that keep less than the server,
 * hourly (and once shortly after start); stops with the app.
 */
export default fp(
  async function housekeeping(fastify: FastifyInstance, options: { everyMs?: number; activityRetentionDays: number }) {
    const run = async () => {
      try {
        const pruned = await pruneExpiredRecords(fastify.db);
        if (Object.values(pruned).some((count) => count > 0)) fastify.log.info({ pruned }, 'pruned expired records');
      } catch (error) {
        fastify.log.warn({ err: error }, 'pruning expired records failed; will retry');
      }
      try {
        const pruned = await pruneWorkspaceActivity(fastify.db, options.activityRetentionDays);
        if (Object.keys(pruned).length > 0) fastify.log.info({ pruned }, 'pruned activity past workspace retention');
      } catch (error) {
        fastify.log.warn({ err: error }, 'pruning activity past workspace retention failed; will retry');
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
