import { useEffect } from 'react';
import { Nav } from './components/Nav.tsx';
import { parseHash, useHash } from './route.ts';
import { useSessionStore } from './stores/session.ts';
import { ActivityWindow } from './windows/ActivityWindow.tsx';
import { AdminWindow } from './windows/AdminWindow.tsx';
import { RulesWindow } from './windows/RulesWindow.tsx';
import { BellWindow } from './windows/BellWindow.tsx';
import { LoginWindow } from './windows/LoginWindow.tsx';
import { SettingsWindow } from './windows/SettingsWindow.tsx';
import { SoundPage } from './windows/SoundPage.tsx';
import { WorkspaceWindow } from './windows/WorkspaceWindow.tsx';

export function App() {
  const route = parseHash(useHash());
  const loading = useSessionStore((s) => s.loading);
  const me = useSessionStore((s) => s.session?.me);
  const restoring = useSessionStore((s) => s.session?.restoring === true);
  const serverUrl = useSessionStore((s) => s.session?.serverUrl);

  useEffect(() => {
    document.body.dataset.route = route.name;
  }, [route.name]);

  // A super admin belongs to no workspace: the workspace's pages would be empty, the admin activity is theirs.
  const noWorkspaceOfTheirOwn = me?.is_super_admin === true && !me.current_workspace;
  useEffect(() => {
    if (noWorkspaceOfTheirOwn && (route.name === 'activity' || route.name === 'workspace')) {
      const query = route.query.toString();
      window.location.replace(`#/admin${query ? `?${query}` : ''}`);
    }
  }, [noWorkspaceOfTheirOwn, route.name, route.query]);

  if (route.name === 'sound') return <SoundPage />;
  if (loading) return <main className="window loading" aria-busy="true" />;

  let page;
  if (!me && restoring && route.name !== 'settings') {
    page = (
      <main className="window" aria-busy="true">
        <div className="empty" data-testid="restoring">
          <p className="empty-title">Connecting to {serverUrl}…</p>
          <p>The server cannot be reached right now. Your notifications appear as soon as it answers.</p>
        </div>
      </main>
    );
  } else if (!me && route.name !== 'settings') page = <LoginWindow />;
  else if (route.name === 'login') page = <LoginWindow />;
  else if ((route.name === 'activity' || route.name === 'workspace') && noWorkspaceOfTheirOwn) page = <AdminWindow query={route.query} />;
  else if (route.name === 'activity') page = <ActivityWindow query={route.query} />;
  else if (route.name === 'admin') page = <AdminWindow query={route.query} />;
  else if (route.name === 'workspace') page = <WorkspaceWindow />;
  else if (route.name === 'rules') page = <RulesWindow />;
  else if (route.name === 'settings') page = <SettingsWindow />;
  else page = <BellWindow />;

  return (
    <>
      <Nav current={route.name} />
      {/* No aria-label here: on a plain div it names nothing, and axe then counts the page as outside every landmark. */}
      <div className="page">{page}</div>
    </>
  );
}
