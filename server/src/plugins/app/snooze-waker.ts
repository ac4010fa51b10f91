import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { wakeSnoozed } from '../../services/notifications/wake-snoozed.ts';
import { runPeriodically } from './periodic.ts';

/**
 * Every instance looks for snoozed notifications that are due every `everyMs`; the query
 * itself makes sure each wakes once (services/notifications/wake-snoozed.ts), and because the
 * state lives in the database a restart loses nothing: what came due meanwhile wakes at once.
 */
export default fp(
  async function snoozeWaker(fastify: FastifyInstance, options: { everyMs: number }) {
    runPeriodically(fastify, { everyMs: options.everyMs, atStart: true, failure: 'waking snoozed notifications failed' }, async () => {
      const woken = await wakeSnoozed(fastify.db);
      if (woken > 0) fastify.log.info({ woken }, 'snoozed notifications are back');
    });
  },
  { name: 'snooze-waker', dependencies: ['db'] },
);
