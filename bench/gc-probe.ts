/**
 * Loaded into the benchmarked server with `--import` (with --expose-gc): on SIGUSR2 it
 * collects garbage and prints its memory, so that the benchmark measures what the streams
 * keep alive rather than garbage not collected yet. Not part of the server.
 */
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  process.stdout.write(`GC_PROBE ${JSON.stringify({ rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external, arrayBuffers: memory.arrayBuffers })}\n`);
});
