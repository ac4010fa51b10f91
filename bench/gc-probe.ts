/**
 * Loaded into the benchmarked server with `--import` (with --expose-gc): on SIGUSR2 it
 * collects garbage and prints its memory, so that the benchmark measures what the streams
 * keep alive rather than garbage not collected yet, and the event-loop delay since the
 * previous probe (the probe's own collection is left out of the next window). Not part of
 * the server.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

process.on('SIGUSR2', () => {
  const ms = (ns: number) => +(ns / 1e6).toFixed(1);
  const eventLoopDelayMs = { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) };
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  loopDelay.reset();
  process.stdout.write(
    `GC_PROBE ${JSON.stringify({ rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external, arrayBuffers: memory.arrayBuffers, eventLoopDelayMs })}\n`,
  );
});
