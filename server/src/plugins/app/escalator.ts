import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { escalateDue } from '../../services/escalations/escalations.ts';

/**
 * Every instance looks for unclaimed workspace-level notifications past their escalation time
 * every `everyMs`; the statement makes sure each escalates once across instances
 * (services/escalations/escalations.ts), and the state lives in the database, so a restart
 * loses nothing.
 */
export default fp(
  async function escalator(fastify: FastifyInstance, options: { everyMs: number }) {
    let round: Promise<unknown> | undefined;
    const run = () => {
      round ??= escalateDue(fastify.db)
        .then((escalated) => escalated > 0 && fastify.log.info({ escalated }, 'unclaimed notifications escalated'))
        .catch((error) => fastify.log.warn({ err: error }, 'escalating unclaimed notifications failed; will retry'))
        .finally(() => (round = undefined));
    };
    const timer = setInterval(run, options.everyMs).unref();
    fastify.addHook('onReady', async () => run());
    fastify.addHook('onClose', async () => {
      clearInterval(timer);
      await round;
    });
  },
  { name: 'escalator', dependencies: ['db'] },
);
