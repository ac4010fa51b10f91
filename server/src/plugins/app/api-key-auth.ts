import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { unauthorized } from '../../lib/errors.ts';
import { authenticateApiKey, type IntegrationContext } from '../../services/api-keys/authenticate-api-key.ts';
import { bearerToken } from './auth.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticateApiKey` on the integration routes. */
    integration: IntegrationContext | null;
  }
  interface FastifyInstance {
    /** onRequest hook for integration routes: a workspace API key, or 401. */
    authenticateApiKey(request: FastifyRequest): Promise<void>;
  }
}

export function requireIntegration(request: FastifyRequest): IntegrationContext {
  if (!request.integration) throw unauthorized('Send a workspace API key: `Authorization: Bearer <key>` or `X-Api-Key: <key>`.');
  return request.integration;
}

export default fp(
  async function apiKeyAuthPlugin(fastify: FastifyInstance) {
    fastify.decorateRequest('integration', null);
    fastify.decorate('authenticateApiKey', async (request: FastifyRequest) => {
      const header = request.headers['x-api-key'];
      const key = (typeof header === 'string' && header) || bearerToken(request);
      if (!key) throw unauthorized('Send a workspace API key: `Authorization: Bearer <key>` or `X-Api-Key: <key>`.');
      const integration = await authenticateApiKey(fastify.db, key);
      if (!integration) throw unauthorized('This API key is unknown or was revoked.');
      request.integration = integration;
    });
  },
  { name: 'api-key-auth', dependencies: ['db'] },
);
