import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

const opts = (r: number) => ({ baseMs: 1000, maxMs: 60_000, random: () => r });

describe('backoffDelay', () => {
  it('doubles per attempt, with the random half on top of a fixed half', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, opts(0)))).toEqual([500, 1000, 2000, 4000]);
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, opts(0.5)))).toEqual([750, 1500, 3000, 6000]);
    expect(backoffDelay(3, opts(0.999))).toBeLessThan(8000);
  });

  it('is capped at the maximum, and never retries immediately', () => {
    expect(backoffDelay(30, opts(0.999))).toBeLessThanOrEqual(60_000);
    expect(backoffDelay(30, opts(0))).toBe(30_000);
    expect(backoffDelay(0, opts(0))).toBeGreaterThan(0);
  });

  it('spreads clients that fail at the same moment', () => {
    const delays = [0.1, 0.5, 0.9].map((r) => backoffDelay(4, opts(r)));
    expect(new Set(delays).size).toBe(3);
  });
});
