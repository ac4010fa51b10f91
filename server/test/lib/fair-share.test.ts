import { describe, expect, it } from 'vitest';
import { FairShare, FairShareFull } from '../../src/lib/fair-share.ts';

const limits = { perUser: 2, perWorkspace: 3, total: 4, maxWaitMs: 200, maxQueuedPerUser: 2 };
const ada = { user: 'ada', workspace: 'acme' };
const bob = { user: 'bob', workspace: 'acme' };
const cy = { user: 'cy', workspace: 'globex' };

describe('FairShare', () => {
  it('admits up to the user’s share at once, then makes the next wait until one is released', async () => {
    const share = new FairShare(limits);
    const first = await share.acquire(ada);
    await share.acquire(ada);
    let third = false;
    const waiting = share.acquire(ada).then((release) => ((third = true), release));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(third).toBe(false);
    first();
    await waiting;
    expect(third).toBe(true);
  });

  it('refuses with the limit that was full once the wait allowed has passed', async () => {
    const share = new FairShare(limits);
    await share.acquire(ada);
    await share.acquire(ada);
    const started = Date.now();
    const refused = await share.acquire(ada).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(FairShareFull);
    expect((refused as FairShareFull).limit).toBe('user');
    expect((refused as FairShareFull).retryAfterSeconds).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('refuses at once beyond the waiters one user may have', async () => {
    const share = new FairShare(limits);
    await share.acquire(ada);
    await share.acquire(ada);
    const queued = [share.acquire(ada).catch(() => 'refused'), share.acquire(ada).catch(() => 'refused')];
    const started = Date.now();
    await expect(share.acquire(ada)).rejects.toBeInstanceOf(FairShareFull);
    expect(Date.now() - started).toBeLessThan(50);
    await Promise.all(queued);
  });

  it('lets another workspace pass a workspace whose share is full, and bounds the workspace across its users', async () => {
    const share = new FairShare(limits);
    await share.acquire(ada);
    await share.acquire(ada);
    await share.acquire(bob);
    // Acme holds its 3: Bob's second waits and is refused, Globex's user goes ahead.
    const bobRefused = await share.acquire(bob).catch((error: FairShareFull) => error.limit);
    expect(bobRefused).toBe('workspace');
    await expect(share.acquire(cy)).resolves.toBeTypeOf('function');
  });

  it('admits a waiter as soon as the process-wide share has room, ahead of nobody who could run', async () => {
    const share = new FairShare({ ...limits, total: 2 });
    const a = await share.acquire(ada);
    await share.acquire(cy);
    const order: string[] = [];
    const bobWaits = share.acquire(bob).then((release) => (order.push('bob'), release));
    a();
    a(); // releasing twice frees one place, not two
    await bobWaits;
    const cyWaits = share.acquire({ user: 'dee', workspace: 'globex' }).then((release) => (order.push('dee'), release));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual(['bob']);
    (await bobWaits)();
    await cyWaits;
    expect(order).toEqual(['bob', 'dee']);
  });
});
