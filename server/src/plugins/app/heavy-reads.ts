import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import { FairShare, FairShareFull } from '../../lib/fair-share.ts';
import { tooManyRequests } from '../../lib/errors.ts';

/** Whose share an expensive read spends: undefined when this request is a cheap one. */
export type HeavyReadScope = (request: FastifyRequest) => { workspace: string } | undefined;

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * A preHandler for routes whose requests can be expensive (searches, deep pages, exports,
     * admin listings): each such request waits for a place in its user's and its workspace's
     * share, or is answered 429 with Retry-After.
     */
    heavyRead(scope: HeavyReadScope): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

/**
 * Expensive reads run a few at a time per user, per workspace and per process, so one tenant's
 * flood waits behind itself while cheap reads (unread counts, inbox pages) and other tenants'
 * searches go on at their usual speed. The share is per server process.
 */
export default fp(
  async function heavyReads(fastify: FastifyInstance, { config }: { config: Config }) {
    const share = new FairShare(config.heavyReads);
    const { perUser, perWorkspace } = config.heavyReads;
    fastify.decorate('heavyRead', (scope: HeavyReadScope) => async (request: FastifyRequest, reply: FastifyReply) => {
      const heavy = scope(request);
      if (!heavy) return;
      const user = request.auth?.user.id ?? request.integration?.apiKeyId ?? request.ip;
      let release: () => void;
      try {
        release = await share.acquire({ user, workspace: heavy.workspace });
      } catch (error) {
        if (!(error instanceof FairShareFull)) throw error;
        const whose = error.limit === 'user' ? `${perUser} per user` : error.limit === 'workspace' ? `${perWorkspace} per workspace` : 'the server’s share';
        throw tooManyRequests(
          `Searches, deep pages and exports run a few at a time (${whose}) and yours are all busy. Retry after ${error.retryAfterSeconds} s; ` +
            'paging with `cursor` and narrower filters are cheaper.',
          error.retryAfterSeconds,
        );
      }
      // Held until the response has been sent in full (an export streams for a while) or the caller went away.
      reply.raw.once('close', release);
    });
  },
  { name: 'heavy-reads' },
);
