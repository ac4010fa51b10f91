import { create } from 'zustand';
import { isFullNotification, type NotificationItem, type StreamEvent } from '../../shared/types.ts';
import { errorMessage, platform } from '../platform/index.ts';

export type NotificationFilter = 'unread' | 'all';

interface NotificationsState {
  items: NotificationItem[];
  filter: NotificationFilter;
  nextCursor: string | null;
  loading: boolean;
  loaded: boolean;
  error: string | null;
}

interface NotificationsActions {
  load(): Promise<void>;
  loadMore(): Promise<void>;
  setFilter(f: NotificationFilter): Promise<void>;
  setRead(id: string, read: boolean): Promise<void>;
  archive(id: string): Promise<void>;
  markAllRead(): Promise<void>;
  open(id: string): Promise<void>;
  applyEvent(e: StreamEvent): void;
  reset(): void;
}

const PAGE = 30;
const initial: NotificationsState = { items: [], filter: 'all', nextCursor: null, loading: false, loaded: false, error: null };

export const useNotificationsStore = create<NotificationsState & NotificationsActions>()((set, get) => {
  const replace = (n: NotificationItem) => set({ items: get().items.map((i) => (i.id === n.id ? n : i)) });

  return {
    ...initial,
    async load() {
      set({ loading: true, error: null });
      try {
        const page = await platform.notifications.list({ limit: PAGE, only_unread: get().filter === 'unread' });
        set({ items: page.items, nextCursor: page.next_cursor, loading: false, loaded: true });
      } catch (err) {
        set({ loading: false, loaded: true, error: errorMessage(err) });
      }
    },
    async loadMore() {
      const { nextCursor, loading, filter } = get();
      if (!nextCursor || loading) return;
      set({ loading: true });
      try {
        const page = await platform.notifications.list({ limit: PAGE, cursor: nextCursor, only_unread: filter === 'unread' });
        const known = new Set(get().items.map((i) => i.id));
        set({ items: [...get().items, ...page.items.filter((i) => !known.has(i.id))], nextCursor: page.next_cursor, loading: false });
      } catch (err) {
        set({ loading: false, error: errorMessage(err) });
      }
    },
    async setFilter(filter) {
      set({ filter });
      await get().load();
    },
    async setRead(id, read) {
      try {
        replace(await platform.notifications.update(id, { read }));
      } catch (err) {
        set({ error: errorMessage(err) });
      }
    },
    async archive(id) {
      const before = get().items;
      set({ items: before.filter((i) => i.id !== id) });
      try {
        await platform.notifications.update(id, { archived: true });
      } catch (err) {
        set({ items: before, error: errorMessage(err) });
      }
    },
    async markAllRead() {
      try {
        await platform.notifications.markAllRead();
        const now = new Date().toISOString();
        const items = get().filter === 'unread' ? [] : get().items.map((i) => (i.read_at ? i : { ...i, read_at: now }));
        set({ items });
      } catch (err) {
        set({ error: errorMessage(err) });
      }
    },
    async open(id) {
      try {
        const now = new Date().toISOString();
        set({ items: get().items.map((i) => (i.id === id && !i.read_at ? { ...i, read_at: now } : i)) });
        await platform.notifications.open(id);
      } catch (err) {
        set({ error: errorMessage(err) });
      }
    },
    applyEvent(e) {
      switch (e.type) {
        case 'notification.created': {
          const n = e.data;
          if (n.archived_at || get().items.some((i) => i.id === n.id)) return;
          set({ items: [n, ...get().items] });
          return;
        }
        case 'notification.updated': {
          if (isFullNotification(e.data)) {
            // A repeat collapsed into it: new text, and it moves to the top.
            const n = e.data;
            const rest = get().items.filter((i) => i.id !== n.id);
            set({ items: n.archived_at ? rest : [n, ...rest] });
            return;
          }
          const change = e.data;
          const items = get()
            .items.map((i) => (i.id === change.id ? { ...i, ...change } : i))
            .filter((i) => !i.archived_at && !(i.snoozed_until && Date.parse(i.snoozed_until) > Date.now()));
          set({ items });
          return;
        }
        case 'resync':
          void get().load();
          return;
        default:
          return;
      }
    },
    reset() {
      set(initial);
    },
  };
});
