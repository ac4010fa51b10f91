import type { LiveUpdates } from '../../shared/live-updates.ts';
import type { AppSession } from '../../shared/session.ts';
import { handle } from '../ipc.ts';
import { routeManagedSettings, type ManagedSettingsDeps } from './settings.ts';

export interface SessionHandlerDeps {
  session: Pick<AppSession, 'snapshot' | 'login' | 'logout' | 'switchWorkspace' | 'getSettings'>;
  live: Pick<LiveUpdates, 'state'>;
  /** A server URL typed at login is saved through the deployment, like one changed in Settings. */
  managed: ManagedSettingsDeps;
}

export function registerSessionHandlers({ session, live, managed }: SessionHandlerDeps): void {
  handle('session:get', () => session.snapshot);
  handle('state:get', () => live.state);
  handle('session:login', (req) => {
    routeManagedSettings({ serverUrl: req.serverUrl }, session.getSettings(), managed);
    return session.login(req);
  });
  handle('session:logout', () => session.logout());
  handle('session:switch-workspace', (req) => session.switchWorkspace(req.workspaceId));
}
