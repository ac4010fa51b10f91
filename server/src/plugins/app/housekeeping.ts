import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { pruneExpiredRecords } from '../../services/housekeeping/prune-expired-records.ts';
import { pruneStreamLog } from '../../stream/prune-stream-log.ts';

export interface HousekeepingOptions {
  everyMs?: number;
  /** How long the stream's event log is kept; a client resuming from further back gets `resync`. */
  streamRetentionMs: number;
}

/**
 * The one scheduler of pruning: bookkeeping tables and the stream's log, hourly (and once
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
      await task('the stream log', () => pruneStreamLog(fastify.db, new Date(Date.now() - options.streamRetentionMs)));
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
