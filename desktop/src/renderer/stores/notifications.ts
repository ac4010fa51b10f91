import { create } from 'zustand';
import {
  isFullNotification,
  type MuteItem,
  type MuteScope,
  type NotificationChange,
  type NotificationItem,
  type StreamEvent,
} from '../../shared/types.ts';
import { dateTime } from '../../shared/format.ts';
import { errorMessage, platform } from '../platform/index.ts';

/** Inbox: everything current; Unread; Snoozed; Archived. */
export type NotificationTab = 'all' | 'unread' | 'snoozed' | 'archived';
/** Kept for callers that only know the first two tabs. */
export type NotificationFilter = NotificationTab;

/** A change that could not reach the server (offline): replayed when the connection is back. */
interface Pending {
  id: string;
  change: NotificationChange;
}

/** A message under the list, with Undo when the action can be taken back. */
export interface Notice {
  text: string;
  undo?: () => void;
  kind: 'info' | 'error';
}

interface NotificationsState {
  items: NotificationItem[];
  filter: NotificationTab;
  type: string | null;
  workspaceId: string | null;
  nextCursor: string | null;
  loading: boolean;
  loaded: boolean;
  error: string | null;
  selected: string[];
  /** The last item clicked for selection: shift-click selects the range from it. */
  anchor: string | null;
  /** Shown in place (no host app to open its target on). */
  detailId: string | null;
  /** The notification of a clicked toast: scrolled to and highlighted (`seq` tells repeated requests apart). */
  focusRequest: { id: string; seq: number } | null;
  notice: Notice | null;
  pending: Pending[];
  /**
   * Arrivals held back while the user is reading or pointing at the list, so rows never move
   * under the pointer: shown as an "N new" pill until asked for.
   */
  arrivals: NotificationItem[];
  /** Whether arrivals are held (the list is scrolled, pointed at or has the keyboard). */
  holding: boolean;
  /**
   * What was new when it reached this list: marked "New" for the whole visit, even after the
   * server has been told it was seen (which clears the badge), until read or reloaded.
   */
  newIds: ReadonlySet<string>;
}

interface NotificationsActions {
  load(): Promise<void>;
  loadMore(): Promise<void>;
  setFilter(f: NotificationTab): Promise<void>;
  setType(type: string | null): Promise<void>;
  setWorkspace(workspaceId: string | null): Promise<void>;
  setRead(id: string | string[], read: boolean): Promise<void>;
  archive(id: string | string[]): Promise<void>;
  unarchive(id: string | string[]): Promise<void>;
  snooze(id: string | string[], until: Date): Promise<void>;
  unsnooze(id: string): Promise<void>;
  markAllRead(): Promise<void>;
  /** What the list shows is seen (the badge counts unseen). */
  markShownSeen(): Promise<void>;
  open(id: string): Promise<void>;
  showDetail(id: string | null): void;
  /** A clicked toast: show this notification in the Inbox, highlighted, and in place with `detail`. */
  focus(id: string, detail: boolean): void;
  mute(id: string, scope: MuteScope): Promise<MuteItem | null>;
  toggleSelect(id: string, range?: boolean): void;
  selectAll(): void;
  clearSelection(): void;
  dismissNotice(): void;
  /** Sends the changes made offline; called when the connection is back. */
  flushPending(): Promise<void>;
  applyEvent(e: StreamEvent): void;
  /** Holds arrivals back (true) or lets the next ones in at the top (false). */
  setHolding(holding: boolean): void;
  /** Puts the held arrivals at the top of the list. */
  showArrivals(): void;
  reset(): void;
}

const PAGE = 30;
const initial: NotificationsState = {
  items: [],
  filter: 'all',
  type: null,
  workspaceId: null,
  nextCursor: null,
  loading: false,
  loaded: false,
  error: null,
  selected: [],
  anchor: null,
  detailId: null,
  focusRequest: null,
  notice: null,
  pending: [],
  arrivals: [],
  holding: false,
  newIds: new Set(),
};

const ids = (id: string | string[]) => (Array.isArray(id) ? id : [id]);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The server could not be reached (as opposed to refusing the change). */
export function isNetworkError(err: unknown): boolean {
  const code = err && typeof err === 'object' && 'code' in err ? String(err.code) : '';
  return code === 'network_error' || (typeof navigator !== 'undefined' && navigator.onLine === false);
}

/** Whether an item belongs in the tab as it is now. */
function belongs(n: NotificationItem, tab: NotificationTab, now = Date.now()): boolean {
  const snoozed = !!n.snoozed_until && Date.parse(n.snoozed_until) > now;
  if (tab === 'archived') return !!n.archived_at;
  if (n.archived_at) return false;
  if (tab === 'snoozed') return snoozed;
  if (snoozed) return false;
  return tab === 'unread' ? !n.read_at : true;
}

const unseenIds = (items: NotificationItem[]) => new Set(items.filter((n) => !n.seen_at).map((n) => n.id));

export const useNotificationsStore = create<NotificationsState & NotificationsActions>()((set, get) => {
  const query = () => {
    const { filter, type, workspaceId } = get();
    return {
      limit: PAGE,
      only_unread: filter === 'unread' || undefined,
      archived: filter === 'archived' || undefined,
      snoozed: filter === 'snoozed' || undefined,
      type: type ?? undefined,
      workspace_id: workspaceId ?? undefined,
    };
  };

  const patchLocal = (targets: string[], patch: (n: NotificationItem) => NotificationItem) => {
    edits += 1;
    const items = get().items.map((n) => (targets.includes(n.id) ? patch(n) : n));
    // Read means seen: its "New" mark goes.
    const read = items.filter((n) => n.read_at && get().newIds.has(n.id)).map((n) => n.id);
    set(read.length > 0 ? { items, newIds: new Set([...get().newIds].filter((id) => !read.includes(id))) } : { items });
  };

  /**
   * A page asked for before a local change or a stream event may answer with the state from
   * before it: such a page is fetched again (a few times at most, for a busy inbox) rather than
   * shown over the newer state.
   */
  let edits = 0;
  let loads = 0;
  async function loadPage(retries: number): Promise<void> {
    const seq = ++loads;
    const editsAtStart = edits;
    set({ loading: true, error: null });
    try {
      const page = await platform.notifications.list(query());
      if (seq !== loads) return; // a newer load is on its way
      if (edits !== editsAtStart && retries > 0) return loadPage(retries - 1);
      set({ items: page.items, nextCursor: page.next_cursor, loading: false, loaded: true, selected: [], arrivals: [], newIds: unseenIds(page.items) });
    } catch (err) {
      if (seq === loads) set({ loading: false, loaded: true, error: errorMessage(err) });
    }
  }

  /**
   * Applies a change at once, then tells the server. Offline, the change stays and is queued
   * for the reconnect; refused by the server, it is rolled back with the server's reason.
   */
  async function change(
    targets: string[],
    wanted: NotificationChange,
    local: (n: NotificationItem) => NotificationItem,
    failed: string,
  ): Promise<boolean> {
    const before = new Map(get().items.filter((n) => targets.includes(n.id)).map((n) => [n.id, n]));
    patchLocal(targets, local);
    let ok = true;
    for (const id of targets) {
      try {
        const updated = await platform.notifications.update(id, wanted);
        set({ items: get().items.map((n) => (n.id === id ? updated : n)) });
      } catch (err) {
        if (isNetworkError(err)) {
          queue(id, wanted);
          set({ notice: { kind: 'info', text: 'Offline: your change is kept and will be sent when the connection is back.' } });
        } else {
          ok = false;
          const old = before.get(id);
          if (old) set({ items: get().items.map((n) => (n.id === id ? old : n)) });
          set({ notice: { kind: 'error', text: `${failed}: ${errorMessage(err)}` } });
        }
      }
    }
    return ok;
  }

  function queue(id: string, wanted: NotificationChange) {
    const pending = get().pending;
    const existing = pending.find((p) => p.id === id);
    set({
      pending: existing
        ? pending.map((p) => (p.id === id ? { id, change: { ...p.change, ...wanted } } : p))
        : [...pending, { id, change: wanted }],
    });
  }

  const visible = () => get().items.filter((n) => belongs(n, get().filter));
  /** The newest item already reported seen: repeated visits do not ask again. */
  let seenUpTo: string | null = null;

  return {
    ...initial,
    load() {
      return loadPage(3);
    },
    async loadMore() {
      const { nextCursor, loading } = get();
      if (!nextCursor || loading) return;
      set({ loading: true });
      try {
        const page = await platform.notifications.list({ ...query(), cursor: nextCursor });
        const known = new Set(get().items.map((i) => i.id));
        const added = page.items.filter((i) => !known.has(i.id));
        set({ items: [...get().items, ...added], nextCursor: page.next_cursor, loading: false, newIds: new Set([...get().newIds, ...unseenIds(added)]) });
      } catch (err) {
        set({ loading: false, error: errorMessage(err) });
      }
    },
    async setFilter(filter) {
      set({ filter, detailId: null });
      await get().load();
    },
    async setType(type) {
      set({ type });
      await get().load();
    },
    async setWorkspace(workspaceId) {
      set({ workspaceId });
      await get().load();
    },
    async setRead(id, read) {
      const now = new Date().toISOString();
      const targets = ids(id);
      await change(
        targets,
        { read },
        (n) => ({ ...n, read_at: read ? (n.read_at ?? now) : null, seen_at: read ? (n.seen_at ?? now) : n.seen_at }),
        read ? "Couldn't mark it read" : "Couldn't mark it unread",
      );
    },
    async archive(id) {
      const targets = ids(id);
      const now = new Date().toISOString();
      const ok = await change(targets, { archived: true }, (n) => ({ ...n, archived_at: n.archived_at ?? now, snoozed_until: null }), "Couldn't archive it");
      if (ok) {
        set({
          selected: get().selected.filter((s) => !targets.includes(s)),
          notice: { kind: 'info', text: `Archived ${plural(targets.length, 'notification')}.`, undo: () => void get().unarchive(targets) },
        });
      }
    },
    async unarchive(id) {
      const targets = ids(id);
      set({ notice: null });
      await change(targets, { archived: false }, (n) => ({ ...n, archived_at: null }), "Couldn't bring it back");
    },
    async snooze(id, until) {
      const targets = ids(id);
      const iso = until.toISOString();
      const ok = await change(targets, { snoozed_until: iso }, (n) => ({ ...n, snoozed_until: iso }), "Couldn't snooze it");
      if (ok) {
        const when = dateTime(until, new Date());
        set({
          selected: get().selected.filter((s) => !targets.includes(s)),
          notice: {
            kind: 'info',
            text: `Snoozed ${plural(targets.length, 'notification')} until ${when}.`,
            undo: () => {
              set({ notice: null });
              for (const t of targets) void get().unsnooze(t);
            },
          },
        });
      }
    },
    async unsnooze(id) {
      await change([id], { snoozed_until: null }, (n) => ({ ...n, snoozed_until: null }), "Couldn't bring it back");
    },
    async markAllRead() {
      const before = get().items;
      const now = new Date().toISOString();
      edits += 1;
      set({ items: get().filter === 'unread' ? [] : before.map((i) => (i.read_at ? i : { ...i, read_at: now, seen_at: i.seen_at ?? now })) });
      try {
        await platform.notifications.markAllRead(get().workspaceId ?? undefined);
      } catch (err) {
        set({ items: before, notice: { kind: 'error', text: `Couldn't mark all read: ${errorMessage(err)}` } });
      }
    },
    async markShownSeen() {
      const shown = visible().filter((n) => !n.seen_at);
      if (shown.length === 0 || get().filter === 'archived' || get().filter === 'snoozed') return;
      const newest = shown.reduce((a, b) => (a.created_at > b.created_at ? a : b)).created_at;
      // The server hears at once (the badge counts unseen); the rows keep their "New" mark for
      // this visit, so what arrived since last time stays visible until the list is reloaded.
      if (seenUpTo && newest <= seenUpTo) return;
      seenUpTo = newest;
      try {
        await platform.notifications.markAllSeen({ before: newest, workspaceId: get().workspaceId ?? undefined });
      } catch {
        // Seen is a hint for the badge: the next open marks them again.
      }
    },
    async open(id) {
      try {
        const now = new Date().toISOString();
        patchLocal([id], (n) => (n.read_at ? n : { ...n, read_at: now, seen_at: n.seen_at ?? now }));
        const { opened } = await platform.notifications.open(id);
        if (opened === 'detail' || opened === 'none' || opened === 'refused') set({ detailId: id });
      } catch (err) {
        if (isNetworkError(err)) {
          queue(id, { read: true });
          set({ detailId: id });
        } else {
          set({ notice: { kind: 'error', text: `Couldn't open it: ${errorMessage(err)}` } });
        }
      }
    },
    showDetail(id) {
      set({ detailId: id });
    },
    focus(id, detail) {
      const { filter, type, workspaceId, loaded, items, focusRequest } = get();
      set({ focusRequest: { id, seq: (focusRequest?.seq ?? 0) + 1 }, detailId: detail ? id : null });
      // A tab or filter could hide it, and a brand-new one may not be listed yet: the whole
      // Inbox, fresh (an unloaded list loads as soon as the bell shows).
      if (filter !== 'all' || type || workspaceId || (loaded && !items.some((n) => n.id === id))) {
        set({ filter: 'all', type: null, workspaceId: null });
        void get().load();
      }
    },
    async mute(id, scope) {
      try {
        const mute = await platform.notifications.mute(id, scope);
        set({
          notice: {
            kind: 'info',
            text: `Muted: ${mute.label}.`,
            undo: () => {
              set({ notice: null });
              void platform.mutes.remove(mute.id);
            },
          },
        });
        return mute;
      } catch (err) {
        set({ notice: { kind: 'error', text: `Couldn't mute it: ${errorMessage(err)}` } });
        return null;
      }
    },
    toggleSelect(id, range) {
      const { selected, anchor } = get();
      if (range && anchor) {
        const order = visible().map((n) => n.id);
        const [a, b] = [order.indexOf(anchor), order.indexOf(id)].sort((x, y) => x - y);
        if (a! >= 0) {
          set({ selected: [...new Set([...selected, ...order.slice(a, b! + 1)])], anchor: id });
          return;
        }
      }
      set({ selected: selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id], anchor: id });
    },
    selectAll() {
      set({ selected: visible().map((n) => n.id) });
    },
    clearSelection() {
      set({ selected: [], anchor: null });
    },
    dismissNotice() {
      set({ notice: null });
    },
    async flushPending() {
      const pending = get().pending;
      if (pending.length === 0) return;
      set({ pending: [] });
      for (const p of pending) {
        try {
          const updated = await platform.notifications.update(p.id, p.change);
          set({ items: get().items.map((n) => (n.id === p.id ? updated : n)) });
        } catch (err) {
          if (isNetworkError(err)) {
            queue(p.id, p.change);
          } else {
            // The server refused what was done offline: show its state and say why.
            set({ notice: { kind: 'error', text: `A change made offline was refused: ${errorMessage(err)}` } });
            void get().load();
          }
        }
      }
      if (get().pending.length === 0 && get().notice?.text.startsWith('Offline')) set({ notice: null });
    },
    applyEvent(e) {
      if (e.type === 'notification.created' || e.type === 'notification.updated') edits += 1;
      switch (e.type) {
        case 'notification.created': {
          // New, or a snoozed one that woke up: at the top.
          const n = e.data;
          if (!belongs(n, get().filter)) return;
          if (!n.seen_at) set({ newIds: new Set([...get().newIds, n.id]) });
          if (get().holding || get().arrivals.length > 0) {
            // Listed already (an unlikely repeat): its row changes in place, nothing moves.
            set({ arrivals: [n, ...get().arrivals.filter((i) => i.id !== n.id)] });
            return;
          }
          set({ items: [n, ...get().items.filter((i) => i.id !== n.id)] });
          return;
        }
        case 'notification.updated': {
          if (isFullNotification(e.data)) {
            // A repeat collapsed into it: new text, and it moves to the top.
            const n = e.data;
            const rest = get().items.filter((i) => i.id !== n.id);
            if (get().holding && belongs(n, get().filter)) {
              // Updated where it is; it joins the "new" pill instead of jumping to the top.
              set({ items: get().items.map((i) => (i.id === n.id ? n : i)), arrivals: [n, ...get().arrivals.filter((i) => i.id !== n.id)] });
              return;
            }
            set({ items: belongs(n, get().filter) ? [n, ...rest] : rest });
            return;
          }
          const stateChange = e.data;
          const filter = get().filter;
          const items = get()
            .items.map((i) => (i.id === stateChange.id ? { ...i, ...stateChange } : i))
            // Unread tab: an item read elsewhere stays until the list reloads, so it does not jump away.
            .filter((i) => (filter === 'unread' ? belongs({ ...i, read_at: null }, filter) : belongs(i, filter)));
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
    setHolding(holding) {
      if (get().holding !== holding) set({ holding });
    },
    showArrivals() {
      const arrivals = get().arrivals.filter((n) => belongs(n, get().filter));
      const ids = new Set(arrivals.map((n) => n.id));
      set({ items: [...arrivals, ...get().items.filter((i) => !ids.has(i.id))], arrivals: [] });
    },
    reset() {
      seenUpTo = null;
      set(initial);
    },
  };
});
