import type { AppService } from '../../shared/app-service.ts';
import { handle } from '../ipc.ts';
import { routeManagedSettings, type ManagedSettingsDeps } from './settings.ts';

export interface SessionHandlerDeps {
  service: Pick<AppService, 'session' | 'state' | 'login' | 'logout' | 'switchWorkspace' | 'getSettings'>;
  /** A server URL typed at login is saved through the deployment, like one changed in Settings. */
  managed: ManagedSettingsDeps;
}

export function registerSessionHandlers({ service, managed }: SessionHandlerDeps): void {
  handle('session:get', () => service.session);
  handle('state:get', () => service.state);
  handle('session:login', (req) => {
    routeManagedSettings({ serverUrl: req.serverUrl }, service.getSettings(), managed);
    return service.login(req);
  });
  handle('session:logout', () => service.logout());
  handle('session:switch-workspace', (req) => service.switchWorkspace(req.workspaceId));
}
