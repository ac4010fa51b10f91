export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Returns a number in [0, 1). Injected so tests are deterministic. */
  random: () => number;
}

// Capped low: after an outage of any length the app is back within seconds of the server (a
// minute's cap left "Offline" up to a minute after a 20 s restart); the jitter spreads a fleet.
export const DEFAULT_BACKOFF: Omit<BackoffOptions, 'random'> = { baseMs: 1_000, maxMs: 5_000 };

/**
 * Exponential backoff with "equal jitter": half the exponential delay is fixed, the other half
 * random, so a fleet of clients that lost the server at the same moment does not reconnect in
 * lockstep, and no client retries immediately.
 * attempt 0 -> [base/2, base), attempt 1 -> [base, 2*base) ... capped at maxMs.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions): number {
  const exp = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt));
  const half = exp / 2;
  return Math.round(half + opts.random() * half);
}
