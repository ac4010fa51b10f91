import { pino, type LoggerOptions } from 'pino';

/**
 * Structured JSON logs (one object per line) for machines; a readable form when a person
 * watches a terminal. Tokens and passwords never reach the log.
 */
export function createLogger(level: string) {
  const pretty = process.stdout.isTTY && process.env.LOG_FORMAT !== 'json';
  const options = {
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'], remove: true },
    serializers: {
      // Stream tickets travel in the query string: keep them out of the log.
      req: (request: { method: string; url: string; ip?: string }) => ({
        method: request.method,
        url: request.url.replace(/([?&]ticket=)[^&]*/, '$1[redacted]'),
        remoteAddress: request.ip,
      }),
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  } satisfies LoggerOptions;
  return pino(options);
}
