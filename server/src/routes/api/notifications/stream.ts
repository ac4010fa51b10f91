import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireAuth } from '../../../plugins/app/auth.ts';
import { errorResponses } from '../../../schemas/common.ts';
import { openStream } from '../../../stream/open-stream.ts';
import { redeemStreamTicket } from '../../../stream/stream-tickets.ts';

const StreamQuery = Type.Object(
  {
    ticket: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'From POST /api/notifications/stream-ticket (browsers)' }),
    ),
    last_event_id: Type.Optional(
      Type.String({
        pattern: '^[0-9]{1,19}$',
        description: 'Resume after this event id (for EventSource, which cannot set Last-Event-ID on its first request)',
      }),
    ),
  },
  { additionalProperties: false },
);

/**
 * The live stream, registered in a scope of its own: it accepts a bearer token or, for
 * browsers, a single-use ticket, never the long-lived token in the URL.
 */
const streamRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addHook('onRequest', async (request) => {
    const { ticket } = request.query as { ticket?: unknown };
    if (typeof ticket === 'string' && ticket !== '') request.auth = await redeemStreamTicket(fastify.db, ticket);
    else await fastify.authenticate(request);
  });

  fastify.get(
    '/api/notifications/stream',
    {
      schema: {
        operationId: 'streamNotifications',
        tags: ['notifications'],
        summary: "Server-Sent Events of the caller's notifications (events notification.created, notification.updated, unread_count, resync); resume with Last-Event-ID",
        querystring: StreamQuery,
        response: {
          200: {
            description: 'The event stream, open until the client leaves (heartbeat comments keep it alive)',
            content: { 'text/event-stream': { schema: Type.String({ description: '`id:`, `event:` and `data:` (JSON) lines per event' }) } },
          },
          ...errorResponses(400, 401, 403, 429),
        },
      },
    },
    async (request, reply) => {
      // The header is what EventSource sends on its own reconnects: it is newer than the URL's.
      const header = request.headers['last-event-id'];
      const lastEventId = typeof header === 'string' && header.trim() !== '' ? header.trim() : request.query.last_event_id;
      await openStream(fastify.streamHub, requireAuth(request), lastEventId, request, reply);
    },
  );
};

export default streamRoutes;
