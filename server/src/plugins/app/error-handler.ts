import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { isInvalidValueError } from '../../lib/database-errors.ts';
import { AppError } from '../../lib/errors.ts';

/**
 * Every error leaves as `{error, message}`. Validation and client errors say what was wrong;
 * anything unexpected is logged with its stack and answered with a bare 500.
 */
export default fp(
  async function errorHandler(fastify: FastifyInstance) {
    fastify.setErrorHandler((error: FastifyError | AppError, request, reply) => {
      if (error instanceof AppError) {
        return reply.code(error.statusCode).headers(error.headers).send({ error: error.code, message: error.message });
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
