import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { clockTime, dateTime, dayHeading, fullDateTime, typeLabel } from '../../shared/format.ts';
import { deviceTimeZone, snoozeChoices } from '../../shared/snooze.ts';
import { NOTIFICATION_TYPES, SUPER_ADMIN_NOTIFICATION_TYPES, type NotificationItem } from '../../shared/types.ts';
import { ChoiceSelect } from '../components/ChoiceSelect.tsx';
import { ConnectionBanner } from '../components/ConnectionBanner.tsx';
import { LiveState } from '../components/LiveState.tsx';
import { ErrorLine } from '../components/ErrorLine.tsx';
import { LoadMore } from '../components/LoadMore.tsx';
import { RelativeTime, useNow } from '../components/RelativeTime.tsx';
import { platform } from '../platform/index.ts';
import { useAppStateStore } from '../stores/app-state.ts';
import { useNotificationsStore, type Notice, type NotificationTab } from '../stores/notifications.ts';
import { useSessionStore } from '../stores/session.ts';
import { useSettingsStore } from '../stores/settings.ts';

/** A glyph per family of types, beside the text (the text says the same). */
function TypeIcon({ type }: { type: string }) {
  const glyph = type.startsWith('critical_')
    ? '⚠'
    : type.startsWith('task')
      ? '✓'
      : type === 'reply_received'
        ? '✉'
        : type === 'campaign_outcome'
          ? '★'
          : type.startsWith('playbook')
            ? '▶'
            : type.startsWith('job')
              ? '⚙'
              : '•';
  const failed = type.endsWith('failed') || type.startsWith('critical_');
  return (
    <span className={`type-icon${failed ? ' type-icon-alert' : ''}`} aria-hidden="true" data-type={type}>
      {glyph}
    </span>
  );
}

function SnoozeMenu({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const snooze = useNotificationsStore((s) => s.snooze);
  // "Tonight" is tonight where the user is: the device's zone, as every time shown is.
  const choices = snoozeChoices(new Date(), deviceTimeZone());
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div
      className="menu"
      role="menu"
      aria-label="Snooze until"
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        // Handled here: the window's own Escape must not also act on it.
        e.stopPropagation();
        onDone();
      }}
    >
      {choices.map((choice, i) => (
        <button
          key={choice.key}
          ref={i === 0 ? first : undefined}
          type="button"
          role="menuitem"
          onClick={() => {
            onDone();
            void snooze(ids, choice.until);
          }}
        >
          {choice.label}
        </button>
      ))}
    </div>
  );
}

function Why({ n }: { n: NotificationItem }) {
  const mute = useNotificationsStore((s) => s.mute);
  const meta = n.meta as Record<string, unknown>;
  const about = typeof meta.lead_id === 'string' ? 'this lead' : typeof meta.playbook_run_id === 'string' ? 'this run' : typeof meta.job_id === 'string' ? 'this job' : null;
  return (
    <div className="why" data-testid="why">
      <p>
        <strong>Why you got this:</strong> {n.reason || 'It was sent to you'}.
      </p>
      <div className="why-actions">
        <button type="button" onClick={() => void mute(n.id, 'type')}>
          Mute “{typeLabel(n.type)}”
        </button>
        {about ? (
          <button type="button" onClick={() => void mute(n.id, 'entity')}>
            Mute everything about {about}
          </button>
        ) : null}
      </div>
    </div>
  );
}

interface ItemProps {
  n: NotificationItem;
  workspace: string | null;
  /** The row holding the list's one Tab stop (roving focus). */
  active: boolean;
  /** The notification of a clicked toast. */
  highlighted: boolean;
  /** "New": it was unseen when it reached this list. */
  fresh: boolean;
  /** The day heading shown above the first row of each day. */
  heading: string | null;
  index: number;
  setSize: number;
  top: number;
  measure: (el: HTMLElement | null) => void;
  onActive: (id: string) => void;
  now: Date;
}

const Item = memo(function Item({ n, workspace, active, highlighted, fresh, heading, index, setSize, top, measure, onActive, now }: ItemProps) {
  const open = useNotificationsStore((s) => s.open);
  const setRead = useNotificationsStore((s) => s.setRead);
  const archive = useNotificationsStore((s) => s.archive);
  const unarchive = useNotificationsStore((s) => s.unarchive);
  const unsnooze = useNotificationsStore((s) => s.unsnooze);
  const selected = useNotificationsStore((s) => s.selected.includes(n.id));
  const toggleSelect = useNotificationsStore((s) => s.toggleSelect);
  const [menu, setMenu] = useState<'snooze' | 'why' | null>(null);
  const snoozeButton = useRef<HTMLButtonElement>(null);
  const whyButton = useRef<HTMLButtonElement>(null);
  const unread = !n.read_at;
  const titleId = `title-${n.id}`;
  // Closing a menu gives the keyboard back to the button that opened it.
  const closeMenu = (back: HTMLElement | null) => {
    setMenu(null);
    requestAnimationFrame(() => back?.focus());
  };
  // One Tab stop per list: the row's controls are reached with the arrow keys.
  const inner = -1;
  return (
    <div
      role="listitem"
      aria-setsize={setSize}
      aria-posinset={index + 1}
      aria-labelledby={titleId}
      className="list-row"
      data-index={index}
      ref={measure}
      style={{ top }}
      onFocus={() => onActive(n.id)}
    >
      {heading ? <h2 className="day">{heading}</h2> : null}
      <div
        className={`notification ${unread ? 'unread' : 'read'}${selected ? ' selected' : ''}${active ? ' focused' : ''}${highlighted ? ' highlighted' : ''}`}
        data-testid="notification"
        data-id={n.id}
        aria-current={highlighted ? 'true' : undefined}
        data-unread={unread}
        data-unseen={fresh}
      >
        <input
          type="checkbox"
          className="select"
          tabIndex={inner}
          data-row-control=""
          checked={selected}
          aria-label={`Select “${n.title}”`}
          onChange={() => undefined}
          onClick={(e: MouseEvent<HTMLInputElement>) => toggleSelect(n.id, e.shiftKey)}
        />
        <button
          type="button"
          className="notification-main"
          tabIndex={active ? 0 : -1}
          data-row-control=""
          onClick={() => void open(n.id)}
          aria-describedby={`meta-${n.id}`}
        >
          <TypeIcon type={n.type} />
          <span className="notification-text">
            <span className="notification-title" id={titleId}>
              {unread ? <span className="sr-only">Unread: </span> : null}
              {n.title}
              {fresh ? (
                <span className="badge-new" data-testid="unseen-badge">
                  New
                </span>
              ) : null}
            </span>
            <span className="notification-body">{n.body}</span>
            <span className="notification-meta" id={`meta-${n.id}`}>
              <span className="type-name">{typeLabel(n.type)}</span>
              {workspace ? <span className="workspace">{workspace}</span> : null}
              <time dateTime={n.created_at} title={fullDateTime(n.created_at)}>
                {/* Under its day's heading the time of day says it; out of order (a woken snooze at the top), the day too. */}
                {heading === null || heading === dayHeading(n.created_at, now) ? clockTime(n.created_at) : dateTime(n.created_at, now)}
              </time>
              <FirstArrived n={n} />
              <ClaimLine n={n} />
              {n.snoozed_until ? (
                <span className="snoozed">
                  Snoozed until <Moment iso={n.snoozed_until} />
                </span>
              ) : null}
            </span>
          </span>
        </button>
        <span className="notification-actions">
          <ClaimButton n={n} tabIndex={inner} />
          <button type="button" tabIndex={inner} data-row-control="" onClick={() => void setRead(n.id, unread)} aria-label={`${unread ? 'Mark read' : 'Mark unread'}: ${n.title}`}>
            {unread ? 'Mark read' : 'Mark unread'}
          </button>
          {n.archived_at ? (
            <button type="button" tabIndex={inner} data-row-control="" onClick={() => void unarchive(n.id)} aria-label={`Unarchive: ${n.title}`} title="Move back to the inbox">
              Unarchive
            </button>
          ) : (
            <button type="button" tabIndex={inner} data-row-control="" onClick={() => void archive(n.id)} aria-label={`Archive: ${n.title}`}>
              Archive
            </button>
          )}
          {n.snoozed_until && Date.parse(n.snoozed_until) > Date.now() ? (
            <button type="button" tabIndex={inner} data-row-control="" onClick={() => void unsnooze(n.id)} aria-label={`Unsnooze: ${n.title}`}>
              Unsnooze
            </button>
          ) : n.archived_at ? null : (
            <button
              type="button"
              ref={snoozeButton}
              tabIndex={inner}
              data-row-control=""
              aria-haspopup="menu"
              aria-expanded={menu === 'snooze'}
              onClick={() => setMenu(menu === 'snooze' ? null : 'snooze')}
              aria-label={`Snooze: ${n.title}`}
              data-action="snooze"
            >
              Snooze
            </button>
          )}
          <button
            type="button"
            ref={whyButton}
            tabIndex={inner}
            data-row-control=""
            aria-expanded={menu === 'why'}
            onClick={() => setMenu(menu === 'why' ? null : 'why')}
            aria-label={`Why was I notified: ${n.title}`}
          >
            Why?
          </button>
        </span>
        {menu === 'snooze' ? <SnoozeMenu ids={[n.id]} onDone={() => closeMenu(snoozeButton.current)} /> : null}
        {menu === 'why' ? (
          <div
            className="why-wrap"
            onKeyDown={(e) => {
              if (e.key !== 'Escape') return;
              e.stopPropagation();
              closeMenu(whyButton.current);
            }}
          >
            <Why n={n} />
          </div>
        ) : null}
      </div>
    </div>
  );
});

/** "Claimed by Ada · 2 min ago" on a workspace-level notification someone took on. */
function ClaimLine({ n }: { n: NotificationItem }) {
  const me = useSessionStore((s) => s.session?.me?.id);
  if (!n.claimed_by || !n.claimed_at) return null;
  return (
    <span className="claimed" data-testid="claimed-by">
      Claimed by {n.claimed_by.id === me ? 'you' : n.claimed_by.name} · <RelativeTime iso={n.claimed_at} />
    </span>
  );
}

/** Claim / Release for a workspace-level notification (every admin holds one); nothing on personal ones. */
function ClaimButton({ n, tabIndex }: { n: NotificationItem; tabIndex?: number }) {
  const me = useSessionStore((s) => s.session?.me?.id);
  const claim = useNotificationsStore((s) => s.claim);
  if (n.user_id !== null) return null;
  if (n.claimed_by && n.claimed_by.id !== me) return null;
  const mine = n.claimed_by?.id === me;
  return (
    <button type="button" tabIndex={tabIndex} data-row-control={tabIndex === undefined ? undefined : ""} onClick={() => void claim(n.id, !mine)} aria-label={`${mine ? 'Release' : 'Claim'}: ${n.title}`}>
      {mine ? 'Release' : 'Claim'}
    </button>
  );
}

/**
 * When an item that moved up (a snooze ended, a repeat folded in) first arrived: its time in the
 * list is when it came back, which alone would make a Dec 5 item look like today's.
 */
function FirstArrived({ n }: { n: NotificationItem }) {
  const first = n.first_arrived_at;
  if (!first || Date.parse(n.created_at) - Date.parse(first) < 60_000) return null;
  const repeated = Number((n.meta as { count?: unknown }).count ?? 1) > 1;
  return (
    <span className="first-arrived" data-testid="first-arrived">
      {repeated ? 'first' : 'back from snooze · first'} <Moment iso={first} />
    </span>
  );
}

/** A moment with its day, the same way everywhere in the inbox. */
function Moment({ iso }: { iso: string }) {
  const now = useNow();
  return (
    <time dateTime={iso} title={fullDateTime(iso)}>
      {dateTime(iso, now)}
    </time>
  );
}

function Detail({ n, workspace }: { n: NotificationItem; workspace: string | null }) {
  const showDetail = useNotificationsStore((s) => s.showDetail);
  const back = useRef<HTMLButtonElement>(null);
  useEffect(() => back.current?.focus(), []);
  return (
    <article className="detail" data-testid="notification-detail" aria-labelledby="detail-title">
      <button type="button" className="link" ref={back} onClick={() => showDetail(null)}>
        ← Back to the list
      </button>
      <h2 id="detail-title">
        <TypeIcon type={n.type} /> {n.title}
      </h2>
      {n.body ? <p>{n.body}</p> : null}
      <dl>
        <dt>Type</dt>
        <dd>{typeLabel(n.type)}</dd>
        {workspace ? (
          <>
            <dt>Workspace</dt>
            <dd>{workspace}</dd>
          </>
        ) : null}
        <dt>When</dt>
        <dd>
          <Moment iso={n.created_at} /> <FirstArrived n={n} />
        </dd>
        <dt>Why you got this</dt>
        <dd>{n.reason || 'It was sent to you'}</dd>
        {n.user_id === null ? (
          <>
            <dt>Claimed</dt>
            <dd>
              {n.claimed_by ? <ClaimLine n={n} /> : 'Nobody yet'} <ClaimButton n={n} />
            </dd>
          </>
        ) : null}
        {n.escalated_at ? (
          <>
            <dt>Escalated</dt>
            <dd>
              Unclaimed for too long: escalated <RelativeTime iso={n.escalated_at} />
            </dd>
          </>
        ) : null}
        {n.target_url ? (
          <>
            <dt>In the sales app</dt>
            <dd>
              <code>{n.target_url}</code>
            </dd>
          </>
        ) : null}
      </dl>
    </article>
  );
}

const TABS: { key: NotificationTab; label: string }[] = [
  { key: 'all', label: 'Inbox' },
  { key: 'unread', label: 'Unread' },
  { key: 'snoozed', label: 'Snoozed' },
  { key: 'archived', label: 'Archived' },
];

const SHORTCUTS: [string, string][] = [
  ['j / k', 'Next / previous notification (from anywhere in the window)'],
  ['← / →', "The row's checkbox and buttons"],
  ['Home / End', 'First / last notification'],
  ['Enter', 'Open'],
  ['r', 'Mark read or unread'],
  ['e', 'Archive'],
  ['s', 'Snooze'],
  ['x', 'Select'],
  ['?', 'Show this help'],
];

/** How long a notice stays: long enough to reach Undo; an error stays until dismissed. */
const TOAST_MS = { withUndo: 10_000, plain: 6_000 };

/** A notice that goes by itself, but not while the pointer or focus is on it (time to read and act). */
function Toast({ notice, onDismiss }: { notice: Notice; onDismiss: () => void }) {
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (notice.kind === 'error' || held) return;
    const timer = setTimeout(onDismiss, notice.undo ? TOAST_MS.withUndo : TOAST_MS.plain);
    return () => clearTimeout(timer);
  }, [notice, held, onDismiss]);
  return (
    <div
      className={`toast toast-${notice.kind}`}
      role={notice.kind === 'error' ? 'alert' : 'status'}
      data-testid="notice"
      onPointerEnter={() => setHeld(true)}
      onPointerLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setHeld(false);
      }}
    >
      <span>{notice.text}</span>
      {notice.undo ? (
        <button type="button" onClick={notice.undo}>
          Undo
        </button>
      ) : null}
      <button type="button" className="link" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}

/** Where the keyboard was before a menu or dialog took it: given back when it closes. */
function rememberFocus(): () => void {
  const was = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
  return () => requestAnimationFrame(() => (was?.isConnected ? was : document.querySelector<HTMLElement>('.notification-main[tabindex="0"]'))?.focus());
}

/** Typing in a field, or choosing in a menu, is not a shortcut. */
const typing = (el: Element | null) => !!el?.closest('input:not([type="checkbox"]), select, textarea, [contenteditable="true"], [role="menu"]');

export function BellWindow() {
  const { items, filter, type, workspaceId, loading, loaded, error, nextCursor, selected, allMatching, notice, detailId, pending, focusRequest, arrivals, newIds } =
    useNotificationsStore();
  const { load, loadMore, setFilter, setType, setWorkspace, markAllRead, markShownSeen, setRead, archive, selectAll, selectAllMatching, clearSelection, toggleSelect, dismissNotice, showDetail, setHolding, showArrivals } =
    useNotificationsStore.getState();
  const unread = useAppStateStore((s) => s.unread);
  const me = useSessionStore((s) => s.session?.me);
  const loadSettings = useSettingsStore((s) => s.load);
  const listRef = useRef<HTMLDivElement>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [snoozeFor, setSnoozeFor] = useState<string[] | null>(null);
  const [help, setHelp] = useState(false);
  const restoreFocus = useRef<(() => void) | null>(null);
  const now = useNow();
  // Super admins belong to no workspace but hear from all of them: name them from the admin list.
  const [allWorkspaces, setAllWorkspaces] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    if (me?.is_super_admin) void platform.admin.workspaces().then((r) => setAllWorkspaces(r.items), () => undefined);
  }, [me?.is_super_admin]);

  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);
  useEffect(() => {
    if (me) void loadSettings(true);
  }, [me, loadSettings]);
  // A link from a mail (#/bell?notification=<id>) shows that notification.
  useEffect(() => {
    const id = new URLSearchParams(window.location.hash.split('?')[1] ?? '').get('notification');
    if (id) showDetail(id);
  }, [showDetail]);
  // Opening the list (or coming back to it) shows what it holds: that is seen (the badge
  // clears), while the rows keep their "New" marks for this visit.
  useEffect(() => {
    if (!loaded || loading) return;
    const markIfVisible = () => {
      if (document.visibilityState === 'visible') void markShownSeen();
    };
    markIfVisible();
    document.addEventListener('visibilitychange', markIfVisible);
    return () => document.removeEventListener('visibilitychange', markIfVisible);
  }, [loaded, loading, filter, markShownSeen]);
  useEffect(() => () => setHolding(false), [setHolding]);

  const names = new Map((me?.memberships ?? []).map((m) => [m.workspace_id, m.workspace_name]));
  for (const w of allWorkspaces) if (!names.has(w.id)) names.set(w.id, w.name);
  const showWorkspace = names.size > 1 || !!me?.is_super_admin;
  // Members never receive the super admins' critical types: do not offer them.
  const types = NOTIFICATION_TYPES.filter((t) => me?.is_super_admin || !SUPER_ADMIN_NOTIFICATION_TYPES.includes(t));
  const visible = items;

  // Windowed: only the rows in view (and the one holding the Tab stop) are in the DOM.
  const activeIndex = Math.max(0, activeId ? visible.findIndex((n) => n.id === activeId) : 0);
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => 96,
    overscan: 8,
    getItemKey: (i) => visible[i]!.id,
    rangeExtractor: (range) => {
      const indexes: number[] = [];
      for (let i = Math.max(0, range.startIndex - range.overscan); i <= Math.min(range.count - 1, range.endIndex + range.overscan); i++) indexes.push(i);
      if (activeIndex < range.count && !indexes.includes(activeIndex)) indexes.push(activeIndex);
      return indexes.sort((a, b) => a - b);
    },
  });

  /** Moves the Tab stop (and the keyboard) to row `index`, scrolling it into view. */
  const pendingFocus = useRef<string | null>(null);
  const goTo = useCallback(
    (index: number) => {
      const n = visible[Math.min(visible.length - 1, Math.max(0, index))];
      if (!n) return;
      setActiveId(n.id);
      virtualizer.scrollToIndex(Math.min(visible.length - 1, Math.max(0, index)), { align: 'auto' });
      // A row already in the page takes the keyboard now; one not yet rendered, once it is.
      const el = listRef.current?.querySelector<HTMLElement>(`[data-id="${CSS.escape(n.id)}"] .notification-main`);
      if (el) el.focus({ preventScroll: true });
      else pendingFocus.current = n.id;
    },
    [visible, virtualizer],
  );
  useLayoutEffect(() => {
    const id = pendingFocus.current;
    if (!id) return;
    const el = listRef.current?.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"] .notification-main`);
    if (el) {
      pendingFocus.current = null;
      el.focus({ preventScroll: true });
    }
  });

  const openHelp = () => {
    restoreFocus.current = rememberFocus();
    setHelp(true);
  };
  const openSnooze = (ids: string[]) => {
    restoreFocus.current = rememberFocus();
    setSnoozeFor(ids);
  };
  const closeOverlay = () => {
    setHelp(false);
    setSnoozeFor(null);
    restoreFocus.current?.();
    restoreFocus.current = null;
  };

  // Shortcuts work from anywhere in the window, on the row holding the Tab stop.
  const keys = useRef<(e: globalThis.KeyboardEvent) => void>(() => undefined);
  keys.current = (e) => {
    if (e.defaultPrevented || e.metaKey || e.ctrlKey || e.altKey) return;
    const target = document.activeElement;
    if (e.key === 'Escape') {
      if (help || snoozeFor) {
        e.preventDefault();
        closeOverlay();
      }
      return;
    }
    if (typing(target) || help || detail) return;
    const inList = !!target?.closest('[data-testid="notification"]');
    const current = visible[activeIndex];
    const key = e.key;
    if (key === '?') {
      e.preventDefault();
      openHelp();
    } else if (key === 'j' || key === 'k' || (inList && (key === 'ArrowDown' || key === 'ArrowUp'))) {
      e.preventDefault();
      // From outside the list the first press only brings the keyboard to the list.
      goTo(inList ? activeIndex + (key === 'j' || key === 'ArrowDown' ? 1 : -1) : activeIndex);
    } else if (inList && (key === 'Home' || key === 'End')) {
      e.preventDefault();
      goTo(key === 'Home' ? 0 : visible.length - 1);
    } else if (inList && (key === 'ArrowLeft' || key === 'ArrowRight')) {
      const row = target!.closest('[data-testid="notification"]')!;
      const controls = [...row.querySelectorAll<HTMLElement>('[data-row-control]')];
      const i = controls.indexOf(target as HTMLElement);
      if (i < 0) return;
      e.preventDefault();
      controls[Math.min(controls.length - 1, Math.max(0, i + (key === 'ArrowRight' ? 1 : -1)))]?.focus();
    } else if (!current) {
      return;
    } else if (key === 'r') {
      e.preventDefault();
      void setRead(current.id, !current.read_at);
    } else if (key === 'e' || (inList && key === 'Delete')) {
      e.preventDefault();
      const next = visible[activeIndex + 1] ?? visible[activeIndex - 1];
      if (next) setActiveId(next.id);
      if (inList && next) pendingFocus.current = next.id;
      void archive(current.id);
    } else if (key === 's' && filter !== 'archived') {
      e.preventDefault();
      openSnooze([current.id]);
    } else if (key === 'x') {
      e.preventDefault();
      toggleSelect(current.id, e.shiftKey);
    }
  };
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => keys.current(e);
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  // Arrivals wait in the "N new" pill while the list is read: scrolled, pointed at or focused.
  const pointerIn = useRef(false);
  const updateHolding = useCallback(() => {
    const list = listRef.current;
    setHolding(!!list && (pointerIn.current || list.scrollTop > 4 || list.contains(document.activeElement)));
  }, [setHolding]);
  const revealArrivals = () => {
    showArrivals();
    listRef.current?.scrollTo({ top: 0 });
    const first = arrivals[0];
    if (first) {
      pendingFocus.current = first.id;
      setActiveId(first.id);
    }
  };

  const detail = detailId ? items.find((n) => n.id === detailId) : undefined;
  // A clicked toast's notification: once it is listed (no detail shown over the list), scroll
  // to it and put the keyboard on it, once per request.
  const handledFocus = useRef(0);
  useEffect(() => {
    if (!focusRequest || focusRequest.seq === handledFocus.current || detail || !loaded) return;
    const index = visible.findIndex((n) => n.id === focusRequest.id);
    if (index < 0) return;
    handledFocus.current = focusRequest.seq;
    virtualizer.scrollToIndex(index, { align: 'center' });
    pendingFocus.current = focusRequest.id;
    setActiveId(focusRequest.id);
  }, [focusRequest, visible, detail, loaded, virtualizer]);
  const offlineEmpty = loaded && items.length === 0 && !!error;

  // Day headings above the first row of each day (rows differ in height; each is measured).
  // Worked out once per list and day, not on every keypress: at thousands of rows the Intl
  // calls add up, so only a change of day asks for a heading.
  const today = now.toDateString();
  const headings = useMemo(() => {
    const found = new Map<number, string>();
    let previousDay = '';
    visible.forEach((n, i) => {
      const at = new Date(n.created_at);
      const day = `${at.getFullYear()}-${at.getMonth()}-${at.getDate()}`;
      if (day !== previousDay) found.set(i, dayHeading(n.created_at, new Date()));
      previousDay = day;
    });
    return found;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `today` stands for the clock
  }, [visible, today]);
  const onActive = useCallback((id: string) => setActiveId(id), []);
  // Nothing listed to hold still: arrivals come straight in.
  useEffect(() => {
    if (visible.length === 0 && arrivals.length > 0) showArrivals();
  }, [visible.length, arrivals.length, showArrivals]);
  const activeRowId = visible[activeIndex]?.id ?? null;

  return (
    <main className="window bell" aria-labelledby="bell-title">
      <header className="window-header">
        <h1 id="bell-title">
          Notifications{' '}
          {unread.unseen > 0 ? (
            <span className="count" data-testid="unseen-count" aria-label={`${unread.unseen} new`}>
              {unread.unseen}
            </span>
          ) : null}
          {unread.count > 0 ? (
            <span className="count-unread" data-testid="unread-count" aria-label={`${unread.count} unread`}>
              {unread.count} unread
            </span>
          ) : null}
        </h1>
        <LiveState />
        <div className="toolbar">
          <div className="segmented" role="tablist" aria-label="Show">
            {TABS.map((tab) => (
              <button key={tab.key} type="button" role="tab" aria-selected={filter === tab.key} onClick={() => void setFilter(tab.key)}>
                {tab.label}
              </button>
            ))}
          </div>
          <button type="button" className="link" onClick={() => void markAllRead()} disabled={unread.count === 0}>
            Mark all as read
          </button>
          <button type="button" className="link" onClick={openHelp} aria-label="Keyboard shortcuts">
            ?
          </button>
        </div>
        <div className="filters">
          <label>
            Type{' '}
            <ChoiceSelect
              label="Type"
              value={type}
              none="All types"
              options={types.map((t) => ({ value: t, label: typeLabel(t) }))}
              onChange={(t) => void setType(t)}
            />
          </label>
          {showWorkspace && names.size > 0 ? (
            <label>
              Workspace{' '}
              <select value={workspaceId ?? ''} onChange={(e) => void setWorkspace(e.target.value || null)}>
                <option value="">All workspaces</option>
                {[...names.entries()].map(([id, name]) => (
                  <option key={id} value={id}>
                    {name} ({unread.by_workspace[id] ?? 0} unread)
                  </option>
                ))}
              </select>
            </label>
          ) : null}
        </div>
      </header>
      <ConnectionBanner />
      {pending.length > 0 ? (
        <p className="banner banner-offline" role="status" data-testid="pending">
          {pending.length === 1 ? '1 change' : `${pending.length} changes`} waiting for the connection.
        </p>
      ) : null}
      {selected.length > 0 ? (
        <div className="bulk" role="toolbar" aria-label="Selected notifications" data-testid="bulk-bar">
          <span>{allMatching ? 'Everything matching selected' : `${selected.length} selected`}</span>
          <button type="button" onClick={() => void setRead(selected, true)}>
            Mark read
          </button>
          <button type="button" onClick={() => void setRead(selected, false)}>
            Mark unread
          </button>
          {filter !== 'archived' ? (
            <button type="button" onClick={() => void archive(selected)}>
              Archive
            </button>
          ) : null}
          {filter !== 'archived' ? (
            <button type="button" aria-haspopup="menu" onClick={() => openSnooze(selected)}>
              Snooze
            </button>
          ) : null}
          <button type="button" className="link" onClick={() => selectAll()}>
            Select all
          </button>
          {nextCursor && !allMatching ? (
            // More than the loaded pages: one request changes everything the tab and filters match.
            <button type="button" className="link" onClick={() => selectAllMatching()}>
              Select all matching
            </button>
          ) : null}
          <button type="button" className="link" onClick={() => clearSelection()}>
            Clear
          </button>
        </div>
      ) : null}
      {snoozeFor ? (
        <div className="popover" data-testid="snooze-popover">
          <p id="snooze-for">Snooze {snoozeFor.length === 1 ? 'this notification' : `${snoozeFor.length} notifications`} until…</p>
          <SnoozeMenu ids={snoozeFor} onDone={closeOverlay} />
          <button type="button" className="link" onClick={closeOverlay}>
            Cancel
          </button>
        </div>
      ) : null}
      {help ? (
        <div className="popover" role="dialog" aria-modal="false" aria-labelledby="help-title" data-testid="shortcuts">
          <h2 id="help-title">Keyboard shortcuts</h2>
          <dl className="shortcuts">
            {SHORTCUTS.map(([k, what]) => (
              <div key={k}>
                <dt>
                  <kbd>{k}</kbd>
                </dt>
                <dd>{what}</dd>
              </div>
            ))}
          </dl>
          <button type="button" onClick={closeOverlay} autoFocus>
            Close
          </button>
        </div>
      ) : null}
      {detail ? (
        <Detail n={detail} workspace={names.get(detail.workspace_id) ?? null} />
      ) : offlineEmpty ? (
        <div className="empty" data-testid="offline-state">
          <p className="empty-title">Can't reach the server</p>
          <p>New notifications will show up as soon as the connection is back.</p>
          <button type="button" onClick={() => void load()}>
            Try again
          </button>
        </div>
      ) : (
        <>
          <ErrorLine error={error} />
          {loaded && items.length === 0 ? (
            <div className="empty" data-testid="empty-state">
              <p className="empty-title">
                {filter === 'unread' ? "You're all caught up" : filter === 'snoozed' ? 'Nothing snoozed' : filter === 'archived' ? 'Nothing archived' : 'No notifications yet'}
              </p>
              <p>
                {me?.is_super_admin && names.size === 0
                  ? 'As a super admin you belong to no workspace: critical events of every workspace arrive here.'
                  : filter === 'unread'
                    ? 'Nothing unread. New notifications appear here live.'
                    : 'Assignments, replies and job results will appear here.'}
              </p>
            </div>
          ) : (
            <>
              {arrivals.length > 0 ? (
                <div className="arrivals">
                  <button type="button" className="pill" data-testid="arrivals-pill" onClick={revealArrivals}>
                    ↑ {arrivals.length} new
                  </button>
                </div>
              ) : null}
              <div
                className="list"
                ref={listRef}
                aria-busy={loading}
                onPointerEnter={() => {
                  pointerIn.current = true;
                  updateHolding();
                }}
                onPointerLeave={() => {
                  pointerIn.current = false;
                  updateHolding();
                }}
                onScroll={updateHolding}
                onFocus={updateHolding}
                onBlur={() => requestAnimationFrame(updateHolding)}
              >
                <div role="list" aria-label="Notifications" className="rows" style={{ height: virtualizer.getTotalSize() }}>
                  {virtualizer.getVirtualItems().map((row) => {
                    const n = visible[row.index]!;
                    return (
                      <Item
                        key={n.id}
                        n={n}
                        workspace={showWorkspace ? (names.get(n.workspace_id) ?? null) : null}
                        active={activeRowId === n.id}
                        highlighted={focusRequest?.id === n.id}
                        fresh={!n.seen_at || newIds.has(n.id)}
                        heading={headings.get(row.index) ?? null}
                        index={row.index}
                        setSize={visible.length}
                        top={row.start}
                        measure={virtualizer.measureElement}
                        onActive={onActive}
                        now={now}
                      />
                    );
                  })}
                </div>
                <LoadMore onVisible={() => void loadMore()} hasMore={!!nextCursor} loading={loading} />
              </div>
            </>
          )}
        </>
      )}
      {notice ? <Toast notice={notice} onDismiss={dismissNotice} /> : null}
      {platform.platform === 'electron' ? (
        <footer className="window-footer">
          <button type="button" className="link" onClick={() => void platform.windows.open('activity')}>
            Activity
          </button>
          {me?.is_super_admin ? (
            <button type="button" className="link" onClick={() => void platform.windows.open('admin')}>
              Admin activity
            </button>
          ) : null}
          <button type="button" className="link" onClick={() => void platform.windows.open('settings')}>
            Settings
          </button>
        </footer>
      ) : null}
    </main>
  );
}
