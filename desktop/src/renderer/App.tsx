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


export function App() {
  const route = parseHash(useHash());
  const loading = useSessionStore((s) => s.loading);
  const me = useSessionStore((s) => s.session?.me);
  const restoring = useSessionStore((s) => s.session?.restoring === true);
  const serverUrl = useSessionStore((s) => s.session?.serverUrl);

  useEffect(() => {
    document.body.dataset.route = route.name;
  }, [route.name]);

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
  else if (route.name === 'activity') page = <ActivityWindow query={route.query} />;
  else if (route.name === 'admin') page = <AdminWindow query={route.query} />;
  else if (route.name === 'rules') page = <RulesWindow />;
  else if (route.name === 'settings') page = <SettingsWindow />;
  else page = <BellWindow />;

  return (
    <>
      <Nav current={route.name} />
      <div className="page">
        {page}
      </div>
    </>
  );
}
