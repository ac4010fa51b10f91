import { type DestinationStream, pino, type LoggerOptions } from 'pino';

/**
 * Structured JSON logs (one object per line) for machines; a readable form when a person
 * watches a terminal. Tokens and passwords never reach the log.
 */
export function createLogger(level: string, destination?: DestinationStream) {
  const pretty = !destination && process.stdout.isTTY && process.env.LOG_FORMAT !== 'json';
  const options = {
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token', '*.secret'], remove: true },
    serializers: {
      // The path only: stream tickets travel in the query string, which a client may spell
      // (or percent-encode) any way it likes, so no query string reaches the log.
      req: (request: { method: string; url: string; ip?: string }) => ({
        method: request.method,
        url: request.url.split('?')[0],
        remoteAddress: request.ip,
      }),
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  } satisfies LoggerOptions;
  return destination ? pino(options, destination) : pino(options);
}
