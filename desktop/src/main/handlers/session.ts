import type { AppService } from '../../shared/app-service.ts';
import { handle } from '../ipc.ts';

export interface SessionHandlerDeps {
  service: Pick<AppService, 'session' | 'state' | 'login' | 'logout' | 'switchWorkspace'>;
}

export function registerSessionHandlers({ service }: SessionHandlerDeps): void {
  handle('session:get', () => service.session);
  handle('state:get', () => service.state);
  handle('session:login', (req) => service.login(req));
  handle('session:logout', () => service.logout());
  handle('session:switch-workspace', (req) => service.switchWorkspace(req.workspaceId));
}
