import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { pruneExpiredRecords, pruneRateLimitBuckets } from '../../services/housekeeping/prune-expired-records.ts';

/** Prunes bookkeeping tables hourly (and once shortly after start); stops with the app. */
export default fp(
  async function housekeeping(fastify: FastifyInstance, options: { everyMs?: number }) {
    const run = async () => {
      try {
        const pruned = { ...(await pruneExpiredRecords(fastify.db)), rateLimitBuckets: await pruneRateLimitBuckets(fastify.db) };
        if (Object.values(pruned).some((count) => count > 0)) fastify.log.info({ pruned }, 'pruned expired records');
      } catch (error) {
        fastify.log.warn({ err: error }, 'pruning expired records failed; will retry');
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
