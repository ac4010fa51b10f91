import { describe, expect, it, vi } from 'vitest';
import type { ActivityItem, Page } from '../../shared/types.ts';
import { activity, page } from '../../testing/fixtures.ts';

vi.mock('../platform/index.ts', () => ({ platform: {}, errorMessage: (e: unknown) => String(e) }));
const { createFeedStore } = await import('./activity-feed.ts');


function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('activity feed store', () => {
  it('drops a slow answer for filters the user already changed', async () => {
    const slow = deferred<Page<ActivityItem>>();
    const fast = deferred<Page<ActivityItem>>();
    const fetchPage = vi.fn<(q: { type?: string }) => Promise<Page<ActivityItem>>>().mockReturnValueOnce(slow.promise).mockReturnValueOnce(fast.promise);
    const store = createFeedStore<{ type?: string }>(fetchPage, {});
    const first = store.getState().load();
    const second = store.getState().setFilters({ type: 'job.failed' });
    fast.resolve(page([activity({ type: 'job.failed' })]));
    await second;
    slow.resolve(page([activity(), activity()], 'x'));
    await first;
    expect(store.getState().items.map((a) => a.type)).toEqual(['job.failed']);
    expect(store.getState().nextCursor).toBeNull();
  });

  it('asks for entries newer than the newest shown and puts new ones on top, marked fresh', async () => {
    const older = activity();
    const newest = activity();
    const live = activity();
    const fetchPage = vi
      .fn<(q: { since?: string }) => Promise<Page<ActivityItem>>>()
      .mockResolvedValueOnce(page([newest, older]))
      .mockResolvedValueOnce(page([live, newest]));
    const store = createFeedStore<object>(fetchPage, {});
    await store.getState().load();
    await store.getState().refreshNewest();
    expect(fetchPage).toHaveBeenLastCalledWith(expect.objectContaining({ since: newest.created_at }));
    expect(store.getState().items.map((a) => a.id)).toEqual([live.id, newest.id, older.id]);
    expect(store.getState().fresh).toEqual([live.id]);
  });
});
