import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireIntegration } from '../../../plugins/app/api-key-auth.ts';
import { errorResponses } from '../../../schemas/common.ts';
import { IdempotencyHeaders, InboundReplyBody, InboundReplyResponse } from '../../../schemas/integrations.ts';
import { withIdempotency } from '../../../services/events/with-idempotency.ts';
import { recordInboundReply } from '../../../services/inbound/record-reply.ts';

/** What the email-sync service calls, with a workspace API key (see app.ts). */
const inboundRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/api/inbound/replies',
    {
      schema: {
        operationId: 'recordInboundReply',
        tags: ['integrations'],
        summary: "A lead replied: stored, recorded, and the lead's owner notified (`reply_received`); honours Idempotency-Key",
        security: [{ apiKey: [] }, { bearer: [] }],
        headers: IdempotencyHeaders,
        body: InboundReplyBody,
        response: { 201: InboundReplyResponse, ...errorResponses(400, 401, 404, 422) },
      },
    },
    async (request, reply) => {
      const { workspaceId } = requireIntegration(request);
      const body = request.body;
      const result = await withIdempotency(
        fastify.db,
        { workspaceId, key: request.headers['idempotency-key'], request: body },
        async (tx) => ({
          statusCode: 201,
          body: await recordInboundReply(tx, {
            workspaceId,
            leadId: body.lead_id,
            subject: body.subject,
            snippet: body.snippet,
            receivedAt: body.received_at ? new Date(body.received_at) : undefined,
          }),
        }),
      );
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(result.statusCode as 201).send(result.body as never);
    },
  );
};

export default inboundRoutes;
