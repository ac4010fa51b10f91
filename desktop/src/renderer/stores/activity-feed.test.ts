import { describe, expect, it, vi } from 'vitest';
import type { Activity, Page } from '../../shared/types.ts';

vi.mock('../platform/index.ts', () => ({ platform: {}, errorMessage: (e: unknown) => String(e) }));
const { createFeedStore } = await import('./activity-feed.ts');

let seq = 0;
const activity = (over: Partial<Activity> = {}): Activity => ({
  id: `a${++seq}`,
  workspace_id: 'w',
  workspace_name: 'Acme Sales',
  actor_user_id: null,
  actor_name: null,
  type: 'lead.created',
  entity_type: null,
  entity_id: null,
  summary: `entry ${seq}`,
  meta: null,
  severity: 'info',
  created_at: new Date(Date.UTC(2026, 10, 26, 0, 0, seq)).toISOString(),
  ...over,
});

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('activity feed store', () => {
  it('drops a slow answer for filters the user already changed', async () => {
    const slow = deferred<Page<Activity>>();
    const fast = deferred<Page<Activity>>();
    const fetchPage = vi.fn<(q: { type?: string }) => Promise<Page<Activity>>>().mockReturnValueOnce(slow.promise).mockReturnValueOnce(fast.promise);
    const store = createFeedStore<{ type?: string }>(fetchPage, {});
    const first = store.getState().load();
    const second = store.getState().setFilters({ type: 'job.failed' });
    fast.resolve({ items: [activity({ type: 'job.failed' })], next_cursor: null });
    await second;
    slow.resolve({ items: [activity(), activity()], next_cursor: 'x' });
    await first;
    expect(store.getState().items.map((a) => a.type)).toEqual(['job.failed']);
    expect(store.getState().nextCursor).toBeNull();
  });

  it('asks for entries newer than the newest shown and puts new ones on top, marked fresh', async () => {
    const older = activity();
    const newest = activity();
    const live = activity();
    const fetchPage = vi
      .fn<(q: { since?: string }) => Promise<Page<Activity>>>()
      .mockResolvedValueOnce({ items: [newest, older], next_cursor: null })
      .mockResolvedValueOnce({ items: [live, newest], next_cursor: null });
    const store = createFeedStore<object>(fetchPage, {});
    await store.getState().load();
    await store.getState().refreshNewest();
    expect(fetchPage).toHaveBeenLastCalledWith(expect.objectContaining({ since: newest.created_at }));
    expect(store.getState().items.map((a) => a.id)).toEqual([live.id, newest.id, older.id]);
    expect(store.getState().fresh).toEqual([live.id]);
  });
});
