import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { expirePresence } from '../../services/presence/presence.ts';

/**
 * Every instance forgets devices whose "active" report ran out every `everyMs`, and tells
 * their users' other devices to alert again (services/presence/presence.ts makes concurrent
 * rounds announce each change once).
 */
export default fp(
  async function presenceExpiry(fastify: FastifyInstance, options: { everyMs: number }) {
    let round: Promise<unknown> | undefined;
    const run = () => {
      round ??= expirePresence(fastify.db)
        .then((users) => users > 0 && fastify.log.debug({ users }, 'inactive devices expired'))
        .catch((error) => fastify.log.warn({ err: error }, 'expiring device presence failed; will retry'))
        .finally(() => (round = undefined));
    };
    const timer = setInterval(run, options.everyMs).unref();
    fastify.addHook('onClose', async () => {
      clearInterval(timer);
      await round;
    });
  },
  { name: 'presence-expiry', dependencies: ['db'] },
);
