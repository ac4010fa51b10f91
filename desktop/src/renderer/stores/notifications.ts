import { create } from 'zustand';
import { bumpUnread, bumpUnseen } from '../../shared/unread.ts';
import {
  MAX_BULK_IDS,
  isFullNotification,
  type BulkAction,
  type BulkFilter,
  type MuteItem,
  type MuteScope,
  type NotificationChange,
  type NotificationItem,
  type StreamEvent,
} from '../../shared/types.ts';
import { dateTime } from '../../shared/format.ts';
import { errorMessage, platform } from '../platform/index.ts';
import { useAppStateStore } from './app-state.ts';
import { useSessionStore } from './session.ts';

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
  /** The entries it is about: it goes away once they are changed back some other way. */
  ids?: string[];
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
  /** Everything the tab and filters match is selected, loaded or not ("Select all matching"). */
  allMatching: boolean;
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
  /** Take on a workspace-level notification (or give it back); losing a race says who won. */
  claim(id: string, claim: boolean): Promise<void>;
  toggleSelect(id: string, range?: boolean): void;
  selectAll(): void;
  /** Extends a full selection to everything matching, beyond the loaded pages. */
  selectAllMatching(): void;
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
  allMatching: false,
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
  // Unread as the server counts it: an alert another admin claimed is theirs to handle.
  return tab === 'unread' ? !n.read_at && !claimedByAnother(n) : true;
}

function claimedByAnother(n: NotificationItem): boolean {
  return !!n.claimed_by && n.claimed_by.id !== useSessionStore.getState().session?.me?.id;
}

/**
 * Whether a listed item stays after a change: in Unread, one just read or claimed (here or
 * elsewhere) stays until the list reloads, so rows do not jump away under the pointer.
 */
function staysListed(n: NotificationItem, tab: NotificationTab): boolean {
  return tab === 'unread' ? belongs({ ...n, read_at: null, claimed_by: null }, tab) : belongs(n, tab);
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
      set({ items: page.items, nextCursor: page.next_cursor, loading: false, loaded: true, selected: [], allMatching: false, arrivals: [], newIds: unseenIds(page.items) });
    } catch (err) {
      if (seq === loads) set({ loading: false, loaded: true, error: errorMessage(err) });
    }
  }

  /** The list's own filter: "everything matching" in a bulk request. */
  const bulkFilter = (): BulkFilter => {
    const { filter, type, workspaceId } = get();
    return {
      ...(filter === 'unread' ? { only_unread: true } : {}),
      ...(filter === 'archived' ? { archived: true } : {}),
      ...(filter === 'snoozed' ? { snoozed: true } : {}),
      ...(type ? { type } : {}),
      ...(workspaceId ? { workspace_id: workspaceId } : {}),
    };
  };

  /** Whether an entry counts on the badge, and how. */
  const counted = (n: NotificationItem) => {
    const active = !n.archived_at && !(n.snoozed_until && Date.parse(n.snoozed_until) > Date.now());
    return { unread: active && !n.read_at ? 1 : 0, unseen: active && !n.seen_at ? 1 : 0 };
  };

  /**
   * Moves the counts at once by what a local change did, so they agree with the list even
   * offline; the server's next count replaces them.
   */
  function adjustCounts(before: NotificationItem[], after: Map<string, NotificationItem>) {
    const app = useAppStateStore.getState();
    let unread = app.unread;
    for (const old of before) {
      const now = after.get(old.id);
      if (!now) continue;
      const [was, is] = [counted(old), counted(now)];
      if (is.unread !== was.unread) unread = bumpUnread(unread, old.workspace_id, is.unread - was.unread);
      if (is.unseen !== was.unseen) unread = bumpUnseen(unread, old.workspace_id, is.unseen - was.unseen);
    }
    if (unread !== app.unread) app.set({ connection: app.connection, unread });
  }

  /**
   * The list after a change: changed entries that left the tab (archived, snoozed, brought
   * back) leave it at once; the Unread tab keeps what was just read, so rows do not jump away.
   */
  function withChanged(changed: Map<string, NotificationItem>): NotificationItem[] {
    const filter = get().filter;
    return get()
      .items.map((n) => changed.get(n.id) ?? n)
      .filter((n) => !changed.has(n.id) || staysListed(n, filter));
  }

  /** Puts entries back as they were (an undo, a refusal): in the list where they belong, newest first. */
  function restore(snapshot: NotificationItem[]) {
    edits += 1;
    const back = new Map(snapshot.map((n) => [n.id, n]));
    const current = new Map(get().items.map((n) => [n.id, n]));
    adjustCounts([...current.values()].filter((n) => back.has(n.id)), back);
    const filter = get().filter;
    const items = [...get().items.filter((n) => !back.has(n.id)), ...snapshot.filter((n) => belongs(n, filter))].sort((x, y) =>
      x.created_at === y.created_at ? (x.id < y.id ? 1 : -1) : x.created_at < y.created_at ? 1 : -1,
    );
    set({ items });
  }

  /** Applies a change to the loaded entries at once (list and counts); returns their previous state. */
  function applyLocal(targets: string[] | 'matching', local: (n: NotificationItem) => NotificationItem): NotificationItem[] {
    edits += 1;
    const chosen = targets === 'matching' ? get().items : get().items.filter((n) => targets.includes(n.id));
    const changed = new Map(chosen.map((n) => [n.id, local(n)]));
    adjustCounts(chosen, changed);
    set({ items: withChanged(changed) });
    return chosen;
  }

  /**
   * One change of many entries: shown at once, then one request (the ids, at most 1,000 a
   * request, or everything matching by the list's filter). Refused: put back with the reason.
   * Offline: kept and queued for the reconnect. Answers the undo token, or null.
   */
  async function bulkChange(
    targets: string[] | 'matching',
    action: BulkAction,
    wanted: NotificationChange,
    local: (n: NotificationItem) => NotificationItem,
    failed: string,
    until?: string,
  ): Promise<{ ok: boolean; undo: string[]; before: NotificationItem[] }> {
    const before = applyLocal(targets, local);
    const requests =
      targets === 'matching'
        ? [{ action, ...(until ? { until } : {}), filter: bulkFilter() }]
        : Array.from({ length: Math.ceil(targets.length / MAX_BULK_IDS) }, (_, i) => ({
            action,
            ...(until ? { until } : {}),
            ids: targets.slice(i * MAX_BULK_IDS, (i + 1) * MAX_BULK_IDS),
          }));
    const undo: string[] = [];
    try {
      for (const request of requests) {
        const result = await platform.notifications.bulk(request);
        if (result.undo_token) undo.push(result.undo_token);
      }
      // Everything matching went beyond the loaded pages, or the loaded page emptied with more
      // on the server: show what is left rather than an empty list.
      if (targets === 'matching' || (get().items.length === 0 && get().nextCursor)) void get().load();
      return { ok: true, undo, before };
    } catch (err) {
      if (isNetworkError(err) && targets !== 'matching') {
        for (const id of targets) queue(id, wanted);
        set({ notice: { kind: 'info', text: 'Offline: your change is kept and will be sent when the connection is back.' } });
        return { ok: true, undo, before };
      }
      restore(before);
      set({ notice: { kind: 'error', text: `${failed}: ${errorMessage(err)}` } });
      return { ok: false, undo, before };
    }
  }

  /** The Undo of a bulk change: the server puts the rows back, and so does the list at once. */
  function undoer(tokens: string[], before: NotificationItem[], targets: string[] | 'matching', fallback: () => Promise<unknown>) {
    return () => {
      set({ notice: null });
      restore(before);
      const done = tokens.length > 0 ? Promise.all(tokens.map((t) => platform.notifications.undoBulk(t))) : fallback();
      void done.then(
        () => {
          if (targets === 'matching') void get().load();
        },
        (err: unknown) => {
          set({ notice: { kind: 'error', text: `Couldn't undo: ${errorMessage(err)}` } });
          void get().load();
        },
      );
    };
  }

  /**
   * After a bulk archive or snooze: the selection loses what changed, and a notice says what
   * happened with its Undo (`fallback` undoes it one by one where the server gave no token).
   */
  function noteBulkChange(
    targets: string[] | 'matching',
    result: { undo: string[]; before: NotificationItem[] },
    describe: (count: number) => string,
    fallback: (list: string[]) => Promise<unknown>,
  ) {
    const list = targets === 'matching' ? result.before.map((n) => n.id) : targets;
    set({
      selected: targets === 'matching' ? [] : get().selected.filter((s) => !list.includes(s)),
      allMatching: false,
      notice: { kind: 'info', ids: list, text: describe(list.length), undo: undoer(result.undo, result.before, targets, () => fallback(list)) },
    });
  }

  /** A change of one entry (read, unread, back from archive or snooze): shown at once, one update. */
  async function change(
    targets: string[],
    wanted: NotificationChange,
    local: (n: NotificationItem) => NotificationItem,
    failed: string,
  ): Promise<boolean> {
    if (targets.length !== 1) {
      const action: BulkAction | null =
        wanted.read === true ? 'read' : wanted.read === false ? 'unread' : wanted.archived === false ? 'unarchive' : null;
      if (action) return (await bulkChange(targets, action, wanted, local, failed)).ok;
    }
    const before = applyLocal(targets, local);
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
          restore(before.filter((n) => n.id === id));
          set({ notice: { kind: 'error', text: `${failed}: ${errorMessage(err)}` } });
        }
      }
    }
    return ok;
  }

  /** A notice about these entries goes once they are changed back another way (Unsnooze, Unarchive). */
  function dropNoticeAbout(targets: string[]) {
    const about = get().notice?.ids;
    if (about?.some((id) => targets.includes(id))) set({ notice: null });
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
      const matching = get().allMatching;
      const targets = matching ? 'matching' : ids(id);
      const local = (n: NotificationItem) => ({ ...n, read_at: read ? (n.read_at ?? now) : null, seen_at: read ? (n.seen_at ?? now) : n.seen_at });
      const failed = read ? "Couldn't mark it read" : "Couldn't mark it unread";
      if (targets === 'matching') {
        const { ok } = await bulkChange(targets, read ? 'read' : 'unread', { read }, local, failed);
        if (ok) set({ selected: [], allMatching: false });
        return;
      }
      await change(targets, { read }, local, failed);
    },
    async archive(id) {
      const now = new Date().toISOString();
      const targets = get().allMatching ? 'matching' : ids(id);
      const { ok, undo, before } = await bulkChange(
        targets,
        'archive',
        { archived: true },
        (n) => ({ ...n, archived_at: n.archived_at ?? now, snoozed_until: null }),
        "Couldn't archive it",
      );
      if (!ok) return;
      noteBulkChange(
        targets,
        { undo, before },
        (count) => (targets === 'matching' ? 'Archived everything matching.' : `Archived ${plural(count, 'notification')}.`),
        (list) => get().unarchive(list),
      );
    },
    async unarchive(id) {
      const targets = ids(id);
      dropNoticeAbout(targets);
      await change(targets, { archived: false }, (n) => ({ ...n, archived_at: null }), "Couldn't bring it back");
    },
    async snooze(id, until) {
      const targets = get().allMatching ? 'matching' : ids(id);
      const iso = until.toISOString();
      const { ok, undo, before } = await bulkChange(
        targets,
        'snooze',
        { snoozed_until: iso },
        (n) => ({ ...n, snoozed_until: iso }),
        "Couldn't snooze it",
        iso,
      );
      if (!ok) return;
      const when = dateTime(until, new Date());
      noteBulkChange(
        targets,
        { undo, before },
        (count) => (targets === 'matching' ? `Snoozed everything matching until ${when}.` : `Snoozed ${plural(count, 'notification')} until ${when}.`),
        (list) => Promise.all(list.map((t) => get().unsnooze(t))),
      );
    },
    async unsnooze(id) {
      dropNoticeAbout([id]);
      await change([id], { snoozed_until: null }, (n) => ({ ...n, snoozed_until: null }), "Couldn't bring it back");
    },
    async markAllRead() {
      const now = new Date().toISOString();
      const before = get().items.filter((n) => !n.read_at);
      edits += 1;
      const changed = new Map(before.map((n) => [n.id, { ...n, read_at: now, seen_at: n.seen_at ?? now }]));
      adjustCounts(before, changed);
      // The Unread tab empties at once: everything in it is read now.
      set({ items: get().filter === 'unread' ? [] : get().items.map((n) => changed.get(n.id) ?? n) });
      try {
        const { updated, undo_token } = await platform.notifications.markAllRead(get().workspaceId ?? undefined);
        if (updated > 0) {
          set({
            notice: {
              kind: 'info',
              text: `Marked ${plural(updated, 'notification')} read.`,
              undo: undo_token ? undoer([undo_token], before, 'matching', async () => undefined) : undefined,
            },
          });
        }
      } catch (err) {
        restore(before);
        set({ notice: { kind: 'error', text: `Couldn't mark all read: ${errorMessage(err)}` } });
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
    async claim(id, claim) {
      try {
        const item = await platform.notifications.claim(id, claim);
        set({ items: get().items.map((n) => (n.id === id ? { ...n, ...item } : n)) });
      } catch (err) {
        set({ notice: { kind: 'error', text: `Couldn't ${claim ? 'claim' : 'release'} it: ${errorMessage(err)}` } });
        // Someone else's claim: show it as it is now.
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
      set({ selected: selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id], anchor: id, allMatching: false });
    },
    selectAll() {
      set({ selected: visible().map((n) => n.id), allMatching: false });
    },
    selectAllMatching() {
      set({ selected: visible().map((n) => n.id), allMatching: true });
    },
    clearSelection() {
      set({ selected: [], anchor: null, allMatching: false });
    },
    dismissNotice() {
      set({ notice: null });
    },
    async flushPending() {
      const pending = get().pending;
      if (pending.length === 0) return;
      set({ pending: [] });
      // The same change of many entries (a selection archived offline) goes as one request.
      const groups = new Map<string, Pending[]>();
      for (const p of pending) {
        const key = JSON.stringify(p.change);
        groups.set(key, [...(groups.get(key) ?? []), p]);
      }
      const refused = (err: unknown) => {
        // The server refused what was done offline: show its state and say why.
        set({ notice: { kind: 'error', text: `A change made offline was refused: ${errorMessage(err)}` } });
        void get().load();
      };
      for (const group of groups.values()) {
        const change = group[0]!.change;
        const action: BulkAction | null =
          group.length < 2 || Object.keys(change).length !== 1
            ? null
            : change.read === true
              ? 'read'
              : change.read === false
                ? 'unread'
                : change.archived === true
                  ? 'archive'
                  : change.archived === false
                    ? 'unarchive'
                    : change.snoozed_until
                      ? 'snooze'
                      : null;
        if (action) {
          try {
            for (let i = 0; i < group.length; i += MAX_BULK_IDS) {
              const chunk = group.slice(i, i + MAX_BULK_IDS).map((p) => p.id);
              await platform.notifications.bulk({ action, ids: chunk, ...(action === 'snooze' ? { until: change.snoozed_until! } : {}) });
            }
          } catch (err) {
            if (isNetworkError(err)) for (const p of group) queue(p.id, p.change);
            else refused(err);
          }
          continue;
        }
        for (const p of group) {
          try {
            const updated = await platform.notifications.update(p.id, p.change);
            set({ items: get().items.map((n) => (n.id === p.id ? updated : n)) });
          } catch (err) {
            if (isNetworkError(err)) queue(p.id, p.change);
            else refused(err);
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
            .filter((i) => staysListed(i, filter));
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
