import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuthContext, inboxOf } from '../domain/auth-context.ts';
import type { StreamHub } from './hub.ts';

/**
 * Turns the request into an event stream for the caller: takes a slot (429 at the cap),
 * works out where to resume, then hands the raw response to the hub, which writes it from
 * then on. Errors before the headers go out are answered as usual.
 */
export async function openStream(
  hub: StreamHub,
  auth: AuthContext,
  lastEventId: string | undefined,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const inbox = inboxOf(auth);
  const stream = await hub.attach(inbox.userId, auth.sessionId, reply.raw, inbox.workspaceId);
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
}
