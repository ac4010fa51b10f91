import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { pruneExpiredRecords } from '../../services/housekeeping/prune-expired-records.ts';
import { pruneWorkspaceActivity } from '../../services/retention/activity-retention.ts';
import { pruneStreamLog } from '../../stream/prune-stream-log.ts';

export interface HousekeepingOptions {
  everyMs?: number;
  /** How long the stream's event log is kept; a client resuming from further back gets `resync`. */
  streamRetentionMs: number;
  /** ACTIVITY_RETENTION_DAYS: workspaces keeping less than this have the rest pruned here (0: no ceiling). */
  activityRetentionDays: number;
}

/**
 * The one scheduler of pruning: bookkeeping tables, the stream's log and the activity of
 * workspaces that keep less than the server, hourly (and once
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
      await task('activity past workspace retention', () => pruneWorkspaceActivity(fastify.db, options.activityRetentionDays));
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
