import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { escalateDue } from '../../services/escalations/escalations.ts';
import { runPeriodically } from './periodic.ts';

/**
 * Every instance looks for unclaimed workspace-level notifications past their escalation time
 * every `everyMs`; the statement makes sure each escalates once across instances
 * (services/escalations/escalations.ts), and the state lives in the database, so a restart
 * loses nothing.
 */
export default fp(
  async function escalator(fastify: FastifyInstance, options: { everyMs: number }) {
    runPeriodically(fastify, { everyMs: options.everyMs, atStart: true, failure: 'escalating unclaimed notifications failed' }, async () => {
      const escalated = await escalateDue(fastify.db);
      if (escalated > 0) fastify.log.info({ escalated }, 'unclaimed notifications escalated');
    });
  },
  { name: 'escalator', dependencies: ['db'] },
);
