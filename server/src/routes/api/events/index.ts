import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireIntegration } from '../../../plugins/app/api-key-auth.ts';
import { errorResponses } from '../../../schemas/common.ts';
import { EventsBody, EventsResponse, IdempotencyHeaders } from '../../../schemas/integrations.ts';
import { ingestEventBatch } from '../../../services/events/ingest-events.ts';

/** For the customer's other systems: authenticated by a workspace API key (see app.ts). */
const eventRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/api/events',
    {
      schema: {
        operationId: 'ingestEvents',
        tags: ['integrations'],
        summary: 'Record up to 500 events as activity (and their notifications), all or nothing; honours Idempotency-Key',
        security: [{ apiKey: [] }, { bearer: [] }],
        headers: IdempotencyHeaders,
        body: EventsBody,
        response: { 201: EventsResponse, ...errorResponses(400, 401, 413, 422) },
      },
    },
    async (request, reply) => {
      const { workspaceId, apiKeyId } = requireIntegration(request);
      const result = await ingestEventBatch(
        fastify.db,
        { workspaceId, caller: apiKeyId, route: request.routeOptions.url!, key: request.headers['idempotency-key'], request: request.body },
        request.body.events,
      );
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(result.statusCode as 201).send(result.body as never);
    },
  );
};

export default eventRoutes;
