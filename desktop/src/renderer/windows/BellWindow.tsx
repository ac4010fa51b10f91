import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { clockTime, dayHeading, typeLabel } from '../../shared/format.ts';
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

function useTimeZone(): string {
  const prefs = useSettingsStore((s) => s.prefs);
  return prefs?.quiet_hours.time_zone && prefs.quiet_hours.time_zone !== 'UTC' ? prefs.quiet_hours.time_zone : deviceTimeZone();
}

function SnoozeMenu({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const snooze = useNotificationsStore((s) => s.snooze);
  const zone = useTimeZone();
  const choices = snoozeChoices(new Date(), zone);
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div className="menu" role="menu" aria-label="Snooze until" onKeyDown={(e) => e.key === 'Escape' && onDone()}>
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

function Item({
  n,
  workspace,
  focused,
  highlighted,
  onKey,
  onFocus,
}: {
  n: NotificationItem;
  workspace: string | null;
  focused: boolean;
  /** The notification of a clicked toast. */
  highlighted: boolean;
  onKey: (e: KeyboardEvent<HTMLElement>, n: NotificationItem) => void;
  onFocus: () => void;
}) {
  const open = useNotificationsStore((s) => s.open);
  const setRead = useNotificationsStore((s) => s.setRead);
  const archive = useNotificationsStore((s) => s.archive);
  const unarchive = useNotificationsStore((s) => s.unarchive);
  const unsnooze = useNotificationsStore((s) => s.unsnooze);
  const selected = useNotificationsStore((s) => s.selected.includes(n.id));
  const toggleSelect = useNotificationsStore((s) => s.toggleSelect);
  const [menu, setMenu] = useState<'snooze' | 'why' | null>(null);
  const unread = !n.read_at;
  const unseen = !n.seen_at;
  const titleId = `title-${n.id}`;
  return (
    <li
      className={`notification ${unread ? 'unread' : 'read'}${selected ? ' selected' : ''}${focused ? ' focused' : ''}${highlighted ? ' highlighted' : ''}`}
      data-testid="notification"
      data-id={n.id}
      aria-current={highlighted ? 'true' : undefined}
      data-unread={unread}
      data-unseen={unseen}
      aria-labelledby={titleId}
    >
      <input
        type="checkbox"
        className="select"
        checked={selected}
        aria-label={`Select “${n.title}”`}
        onChange={() => undefined}
        onClick={(e: MouseEvent<HTMLInputElement>) => toggleSelect(n.id, e.shiftKey)}
      />
      <button
        type="button"
        className="notification-main"
        onClick={() => void open(n.id)}
        onKeyDown={(e) => onKey(e, n)}
        onFocus={onFocus}
        aria-describedby={`meta-${n.id}`}
      >
        <TypeIcon type={n.type} />
        <span className="notification-text">
          <span className="notification-title" id={titleId}>
            {unread ? <span className="sr-only">Unread: </span> : null}
            {n.title}
            {unseen ? (
              <span className="badge-new" data-testid="unseen-badge">
                New
              </span>
            ) : null}
          </span>
          <span className="notification-body">{n.body}</span>
          <span className="notification-meta" id={`meta-${n.id}`}>
            <span className="type-name">{typeLabel(n.type)}</span>
            {workspace ? <span className="workspace">{workspace}</span> : null}
            <time dateTime={n.created_at} title={new Date(n.created_at).toLocaleString()}>
              {clockTime(n.created_at)}
            </time>
            <ClaimLine n={n} />
            {n.snoozed_until ? (
              <span className="snoozed">
                Snoozed until <RelativeTimeAbsolute iso={n.snoozed_until} />
              </span>
            ) : null}
          </span>
        </span>
      </button>
      <span className="notification-actions">
        <ClaimButton n={n} />
        <button type="button" onClick={() => void setRead(n.id, unread)} aria-label={`${unread ? 'Mark read' : 'Mark unread'}: ${n.title}`}>
          {unread ? 'Mark read' : 'Mark unread'}
        </button>
        {n.archived_at ? (
          <button type="button" onClick={() => void unarchive(n.id)} aria-label={`Unarchive: ${n.title}`} title="Move back to the inbox">
            Unarchive
          </button>
        ) : (
          <button type="button" onClick={() => void archive(n.id)} aria-label={`Archive: ${n.title}`}>
            Archive
          </button>
        )}
        {n.snoozed_until && Date.parse(n.snoozed_until) > Date.now() ? (
          <button type="button" onClick={() => void unsnooze(n.id)} aria-label={`Unsnooze: ${n.title}`}>
            Unsnooze
          </button>
        ) : n.archived_at ? null : (
          <button
            type="button"
            aria-haspopup="menu"
            aria-expanded={menu === 'snooze'}
            onClick={() => setMenu(menu === 'snooze' ? null : 'snooze')}
            aria-label={`Snooze: ${n.title}`}
            data-action="snooze"
          >
            Snooze
          </button>
        )}
        <button type="button" aria-expanded={menu === 'why'} onClick={() => setMenu(menu === 'why' ? null : 'why')} aria-label={`Why was I notified: ${n.title}`}>
          Why?
        </button>
      </span>
      {menu === 'snooze' ? <SnoozeMenu ids={[n.id]} onDone={() => setMenu(null)} /> : null}
      {menu === 'why' ? <Why n={n} /> : null}
    </li>
  );
}

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
function ClaimButton({ n }: { n: NotificationItem }) {
  const me = useSessionStore((s) => s.session?.me?.id);
  const claim = useNotificationsStore((s) => s.claim);
  if (n.user_id !== null) return null;
  if (n.claimed_by && n.claimed_by.id !== me) return null;
  const mine = n.claimed_by?.id === me;
  return (
    <button type="button" onClick={() => void claim(n.id, !mine)} aria-label={`${mine ? 'Release' : 'Claim'}: ${n.title}`}>
      {mine ? 'Release' : 'Claim'}
    </button>
  );
}

function RelativeTimeAbsolute({ iso }: { iso: string }) {
  return <time dateTime={iso}>{new Date(iso).toLocaleString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })}</time>;
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
          <RelativeTimeAbsolute iso={n.created_at} />
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
  ['j / k', 'Next / previous notification'],
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

export function BellWindow() {
  const { items, filter, type, workspaceId, loading, loaded, error, nextCursor, selected, allMatching, notice, detailId, pending, focusRequest } =
    useNotificationsStore();
  const { load, loadMore, setFilter, setType, setWorkspace, markAllRead, markShownSeen, setRead, archive, selectAll, selectAllMatching, clearSelection, toggleSelect, dismissNotice, showDetail } =
    useNotificationsStore.getState();
  const unread = useAppStateStore((s) => s.unread);
  const me = useSessionStore((s) => s.session?.me);
  const loadSettings = useSettingsStore((s) => s.load);
  const listRef = useRef<HTMLDivElement>(null);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [snoozeFor, setSnoozeFor] = useState<string[] | null>(null);
  const [help, setHelp] = useState(false);
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
  // Opening the list (or coming back to it) shows what it holds: that is seen. Items arriving
  // while it is open stay new until the next time, so the badge says something arrived.
  useEffect(() => {
    if (!loaded || loading) return;
    const markIfVisible = () => {
      if (document.visibilityState === 'visible') void markShownSeen();
    };
    markIfVisible();
    document.addEventListener('visibilitychange', markIfVisible);
    return () => document.removeEventListener('visibilitychange', markIfVisible);
  }, [loaded, loading, filter, markShownSeen]);

  const names = new Map((me?.memberships ?? []).map((m) => [m.workspace_id, m.workspace_name]));
  for (const w of allWorkspaces) if (!names.has(w.id)) names.set(w.id, w.name);
  const showWorkspace = names.size > 1 || !!me?.is_super_admin;
  // Members never receive the super admins' critical types: do not offer them.
  const types = NOTIFICATION_TYPES.filter((t) => me?.is_super_admin || !SUPER_ADMIN_NOTIFICATION_TYPES.includes(t));
  const visible = items;

  const buttons = () => [...(listRef.current?.querySelectorAll<HTMLButtonElement>('.notification-main') ?? [])];
  const move = (from: HTMLElement | null, delta: number) => {
    const all = buttons();
    const i = from ? all.indexOf(from as HTMLButtonElement) : -1;
    all[Math.min(all.length - 1, Math.max(0, i + delta))]?.focus();
  };

  const onKey = (e: KeyboardEvent<HTMLElement>, n: NotificationItem) => {
    if (e.metaKey || e.ctrlKey || e.altKey) return;
    const key = e.key;
    if (key === 'ArrowDown' || key === 'j') {
      e.preventDefault();
      move(e.currentTarget, 1);
    } else if (key === 'ArrowUp' || key === 'k') {
      e.preventDefault();
      move(e.currentTarget, -1);
    } else if (key === 'Home' || key === 'End') {
      e.preventDefault();
      const all = buttons();
      (key === 'Home' ? all[0] : all[all.length - 1])?.focus();
    } else if (key === 'r') {
      e.preventDefault();
      void setRead(n.id, !n.read_at);
    } else if (key === 'e' || key === 'Delete') {
      e.preventDefault();
      move(e.currentTarget, 1);
      void archive(n.id);
    } else if (key === 's') {
      e.preventDefault();
      setSnoozeFor([n.id]);
    } else if (key === 'x') {
      e.preventDefault();
      toggleSelect(n.id, e.shiftKey);
    } else if (key === '?') {
      e.preventDefault();
      setHelp(true);
    }
  };

  const onWindowKey = (e: KeyboardEvent<HTMLElement>) => {
    const target = e.target as HTMLElement;
    if (target.closest('input, select, textarea, [role="menu"], .notification')) return;
    if (e.key === '?') {
      e.preventDefault();
      setHelp(true);
    } else if (e.key === 'j' || e.key === 'k') {
      e.preventDefault();
      buttons()[0]?.focus();
    } else if (e.key === 'Escape') {
      setHelp(false);
      setSnoozeFor(null);
    }
  };

  const detail = detailId ? items.find((n) => n.id === detailId) : undefined;
  // A clicked toast's notification: once its row is on screen (listed, no detail shown over the
  // list), scroll to it and put the keyboard on it, once per request.
  const handledFocus = useRef(0);
  useEffect(() => {
    if (!focusRequest || focusRequest.seq === handledFocus.current || detail) return;
    const row = [...(listRef.current?.querySelectorAll<HTMLElement>('[data-testid="notification"]') ?? [])].find((el) => el.dataset.id === focusRequest.id);
    if (!row) return;
    handledFocus.current = focusRequest.seq;
    row.scrollIntoView({ block: 'center' });
    row.querySelector<HTMLElement>('.notification-main')?.focus({ preventScroll: true });
  }, [focusRequest, items, detail, loaded]);
  const offlineEmpty = loaded && items.length === 0 && !!error;

  // Grouped by day, newest first.
  const groups: { heading: string; items: NotificationItem[] }[] = [];
  for (const n of visible) {
    const heading = dayHeading(n.created_at, now);
    const last = groups[groups.length - 1];
    if (last?.heading === heading) last.items.push(n);
    else groups.push({ heading, items: [n] });
  }

  return (
    <main className="window bell" aria-labelledby="bell-title" onKeyDown={onWindowKey}>
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
          <button type="button" className="link" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts">
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
            <button type="button" aria-haspopup="menu" onClick={() => setSnoozeFor(selected)}>
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
          <SnoozeMenu ids={snoozeFor} onDone={() => setSnoozeFor(null)} />
          <button type="button" className="link" onClick={() => setSnoozeFor(null)}>
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
          <button type="button" onClick={() => setHelp(false)} autoFocus>
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
            <div className="list" ref={listRef} aria-busy={loading}>
              {groups.map((group) => (
                <section key={group.heading} aria-label={group.heading}>
                  <h2 className="day">{group.heading}</h2>
                  <ul aria-label={`Notifications, ${group.heading}`}>
                    {group.items.map((n) => (
                      <Item
                        key={n.id}
                        n={n}
                        workspace={showWorkspace ? (names.get(n.workspace_id) ?? null) : null}
                        focused={focusedId === n.id}
                        highlighted={focusRequest?.id === n.id}
                        onKey={onKey}
                        onFocus={() => setFocusedId(n.id)}
                      />
                    ))}
                  </ul>
                </section>
              ))}
            </div>
          )}
          <LoadMore onVisible={() => void loadMore()} hasMore={!!nextCursor} loading={loading} />
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
