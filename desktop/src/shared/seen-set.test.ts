import { describe, expect, it } from 'vitest';
import { SeenSet } from './seen-set.ts';

describe('SeenSet', () => {
  it('forgets the oldest id beyond its limit', () => {
    const seen = new SeenSet(2);
    seen.add('a');
    seen.add('b');
    seen.add('a'); // already there: still the oldest
    seen.add('c');
    expect([seen.has('a'), seen.has('b'), seen.has('c')]).toEqual([false, true, true]);
  });
});
