import type { FastifyInstance, RouteOptions } from 'fastify';
import { Type } from 'typebox';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Declares, in the OpenAPI document of every `/api/` route added to `fastify` from now on, the
 * error responses that come from outside its handler (the framework, a shared hook or the error
 * handler), so each route's schema lists only what its own handler decides. A status the route
 * already declares is left as it is.
 */
export function declareSharedResponses(fastify: FastifyInstance, statuses: (route: RouteOptions) => number[]) {
  fastify.addHook('onRoute', (route) => {
    const schema = route.schema as ({ hide?: boolean; response?: Record<string, unknown> } & object) | undefined;
    if (!schema || schema.hide || !route.url.startsWith('/api/')) return;
    const response = (schema.response ??= {});
    for (const status of statuses(route)) response[status] ??= Type.Ref('ErrorResponse');
  });
}

/**
 * What any route can answer: its input refused, the write budget spent, the database away, or
 * (never meant to happen, logged with its stack) `internal_error`.
 */
export function frameworkResponses(route: RouteOptions): number[] {
  const methods = [route.method].flat();
  const statuses = [500, 503];
  const takesInput = route.schema?.querystring || route.schema?.params || methods.some((method) => BODY_METHODS.has(method));
  // 400: malformed input, or a value the database refuses (see the error handler).
  if (takesInput) statuses.push(400);
  // Bodies: over the size limit, or not JSON.
  if (methods.some((method) => BODY_METHODS.has(method))) statuses.push(413, 415);
  // Every write spends the caller's write budget (see the rate-limit plugin).
  if (methods.some((method) => WRITE_METHODS.has(method))) statuses.push(429);
  return statuses;
}

/** What any route behind a session can answer: no valid session, or an embedded bell's session outside the inbox. */
export const sessionResponses = () => [401, 403];

/** What any route behind a workspace API key can answer: no valid key. */
export const apiKeyResponses = () => [401];
