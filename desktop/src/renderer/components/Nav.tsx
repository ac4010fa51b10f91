import { platform } from '../platform/index.ts';
import type { RouteName } from '../route.ts';
import { useAppStateStore } from '../stores/app-state.ts';
import { useSessionStore } from '../stores/session.ts';

/** The web build's navigation between the "windows" (in Electron each is its own window). */
export function Nav({ current }: { current: RouteName }) {
  const me = useSessionStore((s) => s.session?.me);
  // The same number as the bell's badge and the page title: what is new (unseen).
  const unseen = useAppStateStore((s) => s.unread.unseen);
  if (platform.platform !== 'web' || !me) return null;
  const link = (name: RouteName, label: string, count = 0) => (
    <a href={`#/${name}`} className={current === name ? 'active' : ''} aria-current={current === name ? 'page' : undefined}>
      {label}
      {count > 0 ? (
        <span className="nav-count" data-testid="nav-unseen">
          {' '}
          ({count > 99 ? '99+' : count}
          <span className="sr-only"> new</span>)
        </span>
      ) : null}
    </a>
  );
  return (
    <nav className="topnav" aria-label="Windows">
      {link('bell', 'Notifications', unseen)}
      {me.current_workspace || !me.is_super_admin ? link('activity', 'Activity') : null}
      {me.is_super_admin ? link('admin', 'Admin activity') : null}
      {me.is_super_admin || me.current_workspace?.role === 'admin' ? link('rules', 'Alert rules') : null}
      {me.current_workspace?.role === 'admin' ? link('workspace', 'Workspace') : null}
      {link('settings', 'Settings')}
      <span className="spacer" />
      <span className="who">{me.name}</span>
    </nav>
  );
}
