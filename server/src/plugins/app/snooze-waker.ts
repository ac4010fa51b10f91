import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { wakeSnoozed } from '../../services/notifications/wake-snoozed.ts';

/**
 * Every instance looks for snoozed notifications that are due every `everyMs`; the query
 * itself makes sure each wakes once (services/notifications/wake-snoozed.ts), and because the
 * state lives in the database a restart loses nothing: what came due meanwhile wakes at once.
 */
export default fp(
  async function snoozeWaker(fastify: FastifyInstance, options: { everyMs: number }) {
    let round: Promise<unknown> | undefined;
    const run = () => {
      round ??= wakeSnoozed(fastify.db)
        .then((woken) => woken > 0 && fastify.log.info({ woken }, 'snoozed notifications are back'))
        .catch((error) => fastify.log.warn({ err: error }, 'waking snoozed notifications failed; will retry'))
        .finally(() => (round = undefined));
    };
    const timer = setInterval(run, options.everyMs).unref();
    fastify.addHook('onReady', async () => run());
    fastify.addHook('onClose', async () => {
      clearInterval(timer);
      await round;
    });
  },
  { name: 'snooze-waker', dependencies: ['db'] },
);
