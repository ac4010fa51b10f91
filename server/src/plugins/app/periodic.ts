import type { FastifyInstance } from 'fastify';

/**
 * Runs `task` every `everyMs` on this instance, one round at a time (a slow round is never
 * overlapped by the next), optionally once as soon as the server is ready; a failed round is
 * logged and the next one retries. Closing the server stops the timer and waits for the round
 * in flight. The tasks themselves make concurrent rounds on several instances safe.
 */
export function runPeriodically(
  fastify: FastifyInstance,
  { everyMs, atStart = false, failure }: { everyMs: number; atStart?: boolean; failure: string },
  task: () => Promise<unknown>,
) {
  let round: Promise<unknown> | undefined;
  const run = () => {
    round ??= task()
      .catch((error) => fastify.log.warn({ err: error }, `${failure}; will retry`))
      .finally(() => (round = undefined));
  };
  const timer = setInterval(run, everyMs).unref();
  if (atStart) fastify.addHook('onReady', async () => run());
  fastify.addHook('onClose', async () => {
    clearInterval(timer);
    await round;
  });
}
