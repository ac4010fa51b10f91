import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { NotificationItem } from '../../shared/types.ts';
import { ConnectionBanner } from '../components/ConnectionBanner.tsx';
import { ErrorLine } from '../components/ErrorLine.tsx';
import { LoadMore } from '../components/LoadMore.tsx';
import { RelativeTime } from '../components/RelativeTime.tsx';
import { platform } from '../platform/index.ts';
import { useAppStateStore } from '../stores/app-state.ts';
import { useNotificationsStore } from '../stores/notifications.ts';
import { useSessionStore } from '../stores/session.ts';

function Item({
  n,
  workspace,
  onKey,
}: {
  n: NotificationItem;
  workspace: string | null;
  onKey: (e: KeyboardEvent<HTMLButtonElement>, n: NotificationItem) => void;
}) {
  const open = useNotificationsStore((s) => s.open);
  const setRead = useNotificationsStore((s) => s.setRead);
  const archive = useNotificationsStore((s) => s.archive);
  const unread = !n.read_at;
  return (
    <li className={`notification ${unread ? 'unread' : 'read'}`} data-testid="notification" data-id={n.id} data-unread={unread}>
      <button
        type="button"
        className="notification-main"
        onClick={() => void open(n.id)}
        onKeyDown={(e) => onKey(e, n)}
        aria-label={`${unread ? 'Unread: ' : ''}${n.title}`}
      >
        <span className="dot" aria-hidden="true" />
        <span className="notification-text">
          <span className="notification-title">{n.title}</span>
          <span className="notification-body">{n.body}</span>
          <span className="notification-meta">
            {workspace ? <span className="workspace">{workspace}</span> : null}
            <RelativeTime iso={n.created_at} />
          </span>
        </span>
      </button>
      <span className="notification-actions">
        <button type="button" className="icon" title={unread ? 'Mark as read' : 'Mark as unread'} onClick={() => void setRead(n.id, unread)}>
          {unread ? 'Mark read' : 'Mark unread'}
        </button>
        <button type="button" className="icon" title="Archive" onClick={() => void archive(n.id)}>
          Archive
        </button>
      </span>
    </li>
  );
}

export function BellWindow() {
  const { items, filter, loading, loaded, error, nextCursor } = useNotificationsStore();
  const load = useNotificationsStore((s) => s.load);
  const loadMore = useNotificationsStore((s) => s.loadMore);
  const setFilter = useNotificationsStore((s) => s.setFilter);
  const markAllRead = useNotificationsStore((s) => s.markAllRead);
  const setRead = useNotificationsStore((s) => s.setRead);
  const archive = useNotificationsStore((s) => s.archive);
  const unread = useAppStateStore((s) => s.unread.count);
  const byWorkspace = useAppStateStore((s) => s.unread.by_workspace);
  const me = useSessionStore((s) => s.session?.me);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);

  const names = new Map((me?.memberships ?? []).map((m) => [m.workspace_id, m.workspace_name]));
  const showWorkspace = names.size > 1 || me?.is_super_admin;

  // Arrow keys move between items; R toggles read, E/Delete archives.
  const onKey = (e: KeyboardEvent<HTMLButtonElement>, n: NotificationItem) => {
    const buttons = [...(listRef.current?.querySelectorAll<HTMLButtonElement>('.notification-main') ?? [])];
    const i = buttons.indexOf(e.currentTarget);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      buttons[Math.min(buttons.length - 1, Math.max(0, i + (e.key === 'ArrowDown' ? 1 : -1)))]?.focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      (e.key === 'Home' ? buttons[0] : buttons[buttons.length - 1])?.focus();
    } else if (e.key.toLowerCase() === 'r') {
      e.preventDefault();
      void setRead(n.id, !n.read_at);
    } else if (e.key.toLowerCase() === 'e' || e.key === 'Delete') {
      e.preventDefault();
      buttons[i + 1]?.focus();
      void archive(n.id);
    }
  };

  // Nothing to show because the list could not be loaded (not merely because the stream is down).
  const offlineEmpty = loaded && items.length === 0 && !!error;

  return (
    <main className="window bell" aria-labelledby="bell-title">
      <header className="window-header">
        <h1 id="bell-title">
          Notifications {unread > 0 ? <span className="count" data-testid="unread-count">{unread}</span> : null}
        </h1>
        <div className="toolbar">
          <div className="segmented" role="group" aria-label="Filter">
            <button type="button" aria-pressed={filter === 'all'} onClick={() => void setFilter('all')}>
              All
            </button>
            <button type="button" aria-pressed={filter === 'unread'} onClick={() => void setFilter('unread')}>
              Unread
            </button>
          </div>
          <button type="button" className="link" onClick={() => void markAllRead()} disabled={unread === 0}>
            Mark all as read
          </button>
        </div>
      </header>
      {names.size > 1 ? (
        <p className="per-workspace" data-testid="per-workspace">
          {[...names.entries()].map(([id, name]) => (
            <span key={id}>
              {name} <strong>{byWorkspace[id] ?? 0}</strong>
            </span>
          ))}
        </p>
      ) : null}
      <ConnectionBanner />
      {offlineEmpty ? (
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
              <p className="empty-title">{filter === 'unread' ? "You're all caught up" : 'No notifications yet'}</p>
              <p>{filter === 'unread' ? 'Nothing unread. New notifications appear here live.' : 'Assignments, replies and job results will appear here.'}</p>
            </div>
          ) : (
            <ul className="list" ref={listRef} aria-label="Notifications" aria-busy={loading}>
              {items.map((n) => (
                <Item key={n.id} n={n} workspace={showWorkspace ? (names.get(n.workspace_id) ?? null) : null} onKey={onKey} />
              ))}
            </ul>
          )}
          <LoadMore onVisible={() => void loadMore()} hasMore={!!nextCursor} loading={loading} />
        </>
      )}
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
