import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isInvalidValueError } from '../../lib/database-errors.ts';
import { isDatabaseUnavailable } from '../../lib/database-unavailable.ts';
import { AppError } from '../../lib/errors.ts';

/**
 * Every error leaves as `{error, message}`. Validation and client errors say what was wrong;
 * anything unexpected is logged with its stack and answered with a bare 500.
 */
export default fp(
  async function errorHandler(fastify: FastifyInstance) {
    fastify.setErrorHandler((error: FastifyError | AppError, request, reply) => {
      if (error instanceof AppError) {
        return reply.code(error.statusCode).headers(error.headers).send({ ...error.details, error: error.code, message: error.message });
      }
      if ((error as FastifyError).validation) {
        return reply.code(400).send({ error: 'invalid_request', message: validationMessage(error as FastifyError) });
      }
      const status = (error as FastifyError).statusCode ?? 500;
      if (status >= 400 && status < 500) {
        return reply.code(status).send({ error: clientErrorCode(error as FastifyError), message: error.message });
      }
      // Input validation should have refused it; the database is the last line, not a 500.
      if (isInvalidValueError(error)) {
        request.log.warn({ err: { message: error.message } }, 'database refused a value');
        return reply.code(400).send({ error: 'invalid_value', message: 'A value in the request cannot be stored (invalid text, or a date or number out of range).' });
      }
      if (isDatabaseUnavailable(error)) {
        request.log.warn({ err: { message: error.message } }, 'database unavailable');
        return reply
          .code(503)
          .header('retry-after', '5')
          .send({ error: 'database_unavailable', message: 'The database is not answering; try again shortly.' });
      }
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).send({ error: 'internal_error', message: 'Something went wrong on our side; it has been logged.' });
    });

    fastify.setNotFoundHandler((request, reply) =>
      reply.code(404).send({ error: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}.` }),
    );
  },
  { name: 'error-handler' },
);

function validationMessage(error: FastifyError): string {
  const [first] = error.validation ?? [];
  if (!first) return error.message;
  const where = error.validationContext ?? 'request';
  const field = first.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : '';
  const params = first.params as Record<string, unknown>;
  if (first.keyword === 'additionalProperties') {
    return `${where}: unknown field \`${String(params.additionalProperty)}\`.`;
  }
  if (first.keyword === 'required') return `${where}: \`${String(params.missingProperty)}\` is required.`;
  if (first.keyword === 'enum') {
    return `${where}${field ? `.${field}` : ''} must be one of: ${(params.allowedValues as unknown[]).join(', ')}.`;
  }
  return `${where}${field ? `.${field}` : ''} ${first.message ?? 'is invalid'}.`;
}

function clientErrorCode(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'payload_too_large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported_media_type';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'invalid_json';
    default:
      return 'bad_request';
  }
}

/**
 * Requests Node's HTTP parser refuses (malformed headers, oversized headers) never reach a
 * route: answer them in the same `{error, message}` form as everything else.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, body] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', { error: 'request_timeout', message: 'The request took too long to arrive.' }]
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', { error: 'headers_too_large', message: 'The request headers are too large.' }]
        : [400, 'Bad Request', { error: 'bad_request', message: 'The request could not be parsed: malformed HTTP (request line or headers).' }];
  const json = JSON.stringify(body);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(json)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${json}`);
  }
  socket.destroy();
}

/** Errors Fastify raises before routing (a path that does not decode): the API's error form. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
  return reply.code(status).send({ error: 'bad_request', message: error.message });
}
