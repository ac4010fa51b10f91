import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireIntegration } from '../../../plugins/app/api-key-auth.ts';
import { errorResponses } from '../../../schemas/common.ts';
import { EventsBody, EventsResponse, IdempotencyHeaders } from '../../../schemas/integrations.ts';
import { ingestEvents } from '../../../services/events/ingest-events.ts';
import { withIdempotentSql } from '../../../services/events/with-idempotency.ts';

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
      const { workspaceId } = requireIntegration(request);
      const result = await withIdempotentSql(
        fastify.db,
        { workspaceId, key: request.headers['idempotency-key'], request: request.body },
        async (tx) => ({ statusCode: 201, body: await ingestEvents(tx, workspaceId, request.body.events) }),
      );
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(result.statusCode as 201).send(result.body as never);
    },
  );
};

export default eventRoutes;
