import { useEffect, useState, type FormEvent } from 'react';
import { ErrorLine } from '../components/ErrorLine.tsx';
import { platform } from '../platform/index.ts';
import { useSessionStore } from '../stores/session.ts';
import { useSettingsStore } from '../stores/settings.ts';

export function LoginWindow() {
  const login = useSessionStore((s) => s.login);
  const error = useSessionStore((s) => s.error);
  const session = useSessionStore((s) => s.session);
  const { settings, deployment } = useSettingsStore();
  const loadSettings = useSettingsStore((s) => s.load);
  const [serverUrl, setServerUrl] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void loadSettings(false);
  }, [loadSettings]);
  useEffect(() => {
    if (settings && !serverUrl) setServerUrl(settings.serverUrl);
  }, [settings, serverUrl]);

  const locked = platform.platform === 'web' || deployment?.serverUrlLocked === true;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const ok = await login({ serverUrl: serverUrl || session?.serverUrl || '', email, password });
    setBusy(false);
    if (ok) {
      if (platform.platform === 'electron') void platform.windows.open('bell').then(() => platform.windows.close());
      else window.location.hash = '#/bell';
    }
  };

  return (
    <main className="window login" aria-labelledby="login-title">
      <form className="card" onSubmit={(e) => void submit(e)}>
        <h1 id="login-title">Log in</h1>
        <p className="subtle">Get notifications and activity of your workspaces on this device.</p>
        {locked ? null : (
          <label className="field">
            Server
            <input type="url" required value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} placeholder="https://notify.example.com" />
          </label>
        )}
        <label className="field">
          Email
          <input type="email" required autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        </label>
        <label className="field">
          Password
          <input type="password" required autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <ErrorLine error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
        {platform.platform === 'electron' ? (
          <button type="button" className="link" onClick={() => void platform.windows.open('settings')}>
            Settings
          </button>
        ) : null}
      </form>
    </main>
  );
}
