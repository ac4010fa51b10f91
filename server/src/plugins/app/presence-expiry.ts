import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { expirePresence } from '../../services/presence/presence.ts';
import { runPeriodically } from './periodic.ts';

/**
 * Every instance forgets devices whose "active" report ran out every `everyMs`, and tells
 * their users' other devices to alert again (services/presence/presence.ts makes concurrent
 * rounds announce each change once).
 */
export default fp(
  async function presenceExpiry(fastify: FastifyInstance, options: { everyMs: number }) {
    runPeriodically(fastify, { everyMs: options.everyMs, failure: 'expiring device presence failed' }, async () => {
      const users = await expirePresence(fastify.db);
      if (users > 0) fastify.log.debug({ users }, 'inactive devices expired');
    });
  },
  { name: 'presence-expiry', dependencies: ['db'] },
);
