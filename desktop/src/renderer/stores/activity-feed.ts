import { create, type StoreApi, type UseBoundStore } from 'zustand';
import type { ActivityItem, Page } from '../../shared/types.ts';
import { errorMessage } from '../platform/index.ts';

interface FeedState<F> {
  items: ActivityItem[];
  filters: F;
  nextCursor: string | null;
  loading: boolean;
  loaded: boolean;
  error: string | null;
  /** Ids that arrived live, highlighted briefly. */
  fresh: string[];
}

interface FeedActions<F> {
  load(): Promise<void>;
  loadMore(): Promise<void>;
  setFilters(f: Partial<F>): Promise<void>;
  /** Fetches entries newer than the newest shown and puts them on top. */
  refreshNewest(): Promise<void>;
  reset(): void;
}

export type FeedStore<F> = UseBoundStore<StoreApi<FeedState<F> & FeedActions<F>>>;

type Fetch<F> = (q: F & { cursor?: string; page_size?: number; since?: string }) => Promise<Page<ActivityItem>>;

const PAGE_SIZE = 30;

/**
 * One activity feed (workspace or admin): filters, infinite scroll by cursor, live entries on
 * top. A request that finishes after the filters changed is dropped (no stale rows).
 */
export function createFeedStore<F extends object>(fetchPage: Fetch<F>, defaults: F): FeedStore<F> {
  let generation = 0;
  const initial: FeedState<F> = { items: [], filters: defaults, nextCursor: null, loading: false, loaded: false, error: null, fresh: [] };
  return create<FeedState<F> & FeedActions<F>>()((set, get) => ({
    ...initial,
    async load() {
      const gen = ++generation;
      set({ loading: true, error: null });
      try {
        const page = await fetchPage({ ...get().filters, page_size: PAGE_SIZE });
        if (gen !== generation) return;
        set({ items: page.items, nextCursor: page.next_cursor, loading: false, loaded: true, fresh: [] });
      } catch (err) {
        if (gen !== generation) return;
        set({ loading: false, loaded: true, error: errorMessage(err) });
      }
    },
    async loadMore() {
      const { nextCursor, loading } = get();
      if (!nextCursor || loading) return;
      const gen = generation;
      set({ loading: true });
      try {
        const page = await fetchPage({ ...get().filters, cursor: nextCursor, page_size: PAGE_SIZE });
        if (gen !== generation) return;
        const known = new Set(get().items.map((i) => i.id));
        set({ items: [...get().items, ...page.items.filter((i) => !known.has(i.id))], nextCursor: page.next_cursor, loading: false });
      } catch (err) {
        if (gen !== generation) return;
        set({ loading: false, error: errorMessage(err) });
      }
    },
    async setFilters(f) {
      set({ filters: { ...get().filters, ...f } });
      await get().load();
    },
    async refreshNewest() {
      const { items, loaded, loading } = get();
      if (!loaded || loading) return;
      const gen = generation;
      const newest = items[0]?.created_at;
      try {
        const page = await fetchPage({ ...get().filters, page_size: PAGE_SIZE, ...(newest ? { since: newest } : {}) });
        if (gen !== generation) return;
        const known = new Set(get().items.map((i) => i.id));
        const added = page.items.filter((i) => !known.has(i.id));
        if (added.length === 0) return;
        set({ items: [...added, ...get().items], fresh: added.map((i) => i.id) });
      } catch {
        // A failed live refresh is retried on the next tick; the list stays as it is.
      }
    },
    reset() {
      generation++;
      set(initial);
    },
  }));
}
