import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import { tooManyRequests } from '../../lib/errors.ts';
import { PostgresRateLimitStore } from '../../services/rate-limit/postgres-rate-limit-store.ts';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Whose budget a write spends: its API key, else its user, else (log in, bell sign-in: nobody
 * yet) its address. Reads spend none.
 */
function caller(request: FastifyRequest): string | undefined {
  if (!WRITE_METHODS.has(request.method)) return undefined;
  if (request.integration) return `api-key:${request.integration.apiKeyId}`;
  if (request.auth) return `user:${request.auth.user.id}`;
  return `address:${request.ip}`;
}

/**
 * Writes are limited per user, per API key and, for anonymous ones, per address, counted in
 * PostgreSQL so the limit holds across instances: 429 with Retry-After beyond it. Counted after
 * authentication (the preHandler hook), so the key is who is calling where that is known.
 * Login keeps its own throttle per account on top.
 */
export default fp(
  async function writeRateLimit(fastify: FastifyInstance, { config }: { config: Config }) {
    const { db } = fastify;
    await fastify.register(rateLimit, {
      global: true,
      hook: 'preHandler',
      timeWindow: config.rateLimit.windowSeconds * 1000,
      max: (request) =>
        request.integration
          ? config.rateLimit.writesPerApiKey
          : request.auth
            ? config.rateLimit.writesPerUser
            : config.rateLimit.anonymousWritesPerAddress,
      keyGenerator: (request) => caller(request) ?? 'none',
      allowList: (request) => caller(request) === undefined,
      store: class extends PostgresRateLimitStore {
        constructor() {
          super(db);
        }
      },
      // Draft-spec headers only on the 429 itself: callers need Retry-After, not a header on every write.
      addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
      errorResponseBuilder: (request, context) =>
        tooManyRequests(
          request.integration || request.auth
            ? `Too many writes: at most ${context.max} per ${config.rateLimit.windowSeconds} s for each user and each API key. Retry after ${context.after}.`
            : `Too many sign-in requests from this address: at most ${context.max} per ${config.rateLimit.windowSeconds} s. Retry after ${context.after}.`,
          context.ttl / 1000,
        ),
    });
  },
  { name: 'write-rate-limit', dependencies: ['db'] },
);
