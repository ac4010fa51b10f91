import { platform } from '../platform/index.ts';
import type { RouteName } from '../route.ts';
import { useAppStateStore } from '../stores/app-state.ts';
import { useSessionStore } from '../stores/session.ts';

/** The web build's navigation between the "windows" (in Electron each is its own window). */
export function Nav({ current }: { current: RouteName }) {
  const me = useSessionStore((s) => s.session?.me);
  const unread = useAppStateStore((s) => s.unread.count);
  if (platform.platform !== 'web' || !me) return null;
  const link = (name: RouteName, label: string) => (
    <a href={`#/${name}`} className={current === name ? 'active' : ''} aria-current={current === name ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <nav className="topnav" aria-label="Windows">
      {link('bell', unread > 0 ? `Notifications (${unread})` : 'Notifications')}
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
