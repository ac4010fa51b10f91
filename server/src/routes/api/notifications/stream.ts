import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireAuth } from '../../../plugins/app/auth.ts';
import { DateTime, errorResponses } from '../../../schemas/common.ts';
import { issueStreamTicket, redeemStreamTicket } from '../../../services/stream/stream-tickets.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route authenticates the caller itself; the API scope's bearer check skips it. */
    ownAuthentication?: boolean;
  }
}

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

const streamRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/api/notifications/stream-ticket',
    {
      schema: {
        tags: ['notifications'],
        summary: 'A single-use ticket (valid ~60 s) to open the stream where headers cannot be set (EventSource)',
        response: { 200: Type.Object({ ticket: Type.String(), expires_at: DateTime }), ...errorResponses(401) },
      },
    },
    async (request) => issueStreamTicket(fastify.db, requireAuth(request)),
  );

  fastify.get(
    '/api/notifications/stream',
    {
      config: { ownAuthentication: true },
      schema: {
        tags: ['notifications'],
        summary: "Server-Sent Events of the caller's notifications; resume with Last-Event-ID (see docs/stream.md)",
        querystring: StreamQuery,
        response: errorResponses(400, 401, 429),
      },
      // Bearer header, or a ticket for browsers; never the long-lived token in the URL.
      onRequest: async (request) => {
        const { ticket } = request.query as { ticket?: unknown };
        if (typeof ticket === 'string' && ticket !== '') request.auth = await redeemStreamTicket(fastify.db, ticket);
        else await fastify.authenticate(request);
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      // The header is what EventSource sends on its own reconnects: it is newer than the URL's.
      const header = request.headers['last-event-id'];
      const lastEventId = typeof header === 'string' && header.trim() !== '' ? header.trim() : request.query.last_event_id;

      const hub = fastify.streamHub;
      const stream = await hub.attach(auth.user.id, auth.sessionId, reply.raw);
      let start;
      try {
        start = await hub.startFor(auth.user.id, lastEventId);
      } catch (error) {
        hub.abandon(stream);
        throw error;
      }
      // From here on the hub writes the response and onSend hooks no longer run. Of the headers
      // set so far only CORS matters to an event stream: the page-oriented security headers
      // (CSP and co.) would be kept in memory for the stream's whole life, 10,000 times over.
      reply.hijack();
      const keep = (name: string) => name.startsWith('access-control-') || name === 'vary';
      for (const name of reply.raw.getHeaderNames()) if (!keep(name)) reply.raw.removeHeader(name);
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined && keep(name)) reply.raw.setHeader(name, value);
      }
      reply.raw.writeHead(200, {
        'x-request-id': request.id,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-content-type-options': 'nosniff',
        // nginx would otherwise buffer the stream.
        'x-accel-buffering': 'no',
        // When the stream ends (shutdown, logout) the socket goes too: an idle keep-alive
        // socket would hold up the server's close for its whole keep-alive timeout.
        connection: 'close',
      });
      hub.begin(stream, start);
    },
  );
};

export default streamRoutes;
