import { describe, expect, it } from 'vitest';
import { SeenSet } from './seen-set.ts';

const at = (id: string, created_at = '2026-11-30T10:00:00.000Z') => ({ id, created_at });

describe('SeenSet', () => {
  it('forgets the oldest id beyond its limit', () => {
    const seen = new SeenSet(2);
    seen.add(at('a'));
    seen.add(at('b'));
    seen.add(at('a')); // already there: still the oldest
    seen.add(at('c'));
    expect([seen.has(at('a')), seen.has(at('b')), seen.has(at('c'))]).toEqual([false, true, true]);
  });

  it('counts a later arrival of a known id (a snooze that woke) as unseen, an older or equal one as seen', () => {
    const seen = new SeenSet();
    seen.add(at('a', '2026-11-30T10:00:00.000Z'));
    expect(seen.has(at('a', '2026-11-30T10:00:00.000Z'))).toBe(true);
    expect(seen.has(at('a', '2026-11-30T09:00:00.000Z'))).toBe(true);
    expect(seen.has(at('a', '2026-11-30T11:00:00.000Z'))).toBe(false);
    seen.add(at('a', '2026-11-30T11:00:00.000Z'));
    expect(seen.has(at('a', '2026-11-30T11:00:00.000Z'))).toBe(true);
    // An older copy arriving late (a replay) does not take the newer arrival's place.
    seen.add(at('a', '2026-11-30T10:00:00.000Z'));
    expect(seen.has(at('a', '2026-11-30T10:30:00.000Z'))).toBe(true);
  });

  it('keeps a woken id as the newest when the oldest are forgotten', () => {
    const seen = new SeenSet(2);
    seen.add(at('a'));
    seen.add(at('b'));
    seen.add(at('a', '2026-11-30T12:00:00.000Z'));
    seen.add(at('c'));
    expect([seen.has(at('a', '2026-11-30T12:00:00.000Z')), seen.has(at('b')), seen.has(at('c'))]).toEqual([true, false, true]);
  });
});
