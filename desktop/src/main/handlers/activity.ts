import type { AppService } from '../../shared/app-service.ts';
import { handle } from '../ipc.ts';

export interface ActivityHandlerDeps {
  service: Pick<
    AppService,
    'listActivity' | 'requireSuperAdmin' | 'adminActivity' | 'adminWorkspaces' | 'adminUsers' | 'criticalEvents'
  >;
}

export function registerActivityHandlers({ service }: ActivityHandlerDeps): void {
  handle('activity:list', (q) => service.listActivity(q ?? {}));
  // Admin channels: refused here, before any request, to everyone who is not a super admin.
  handle('admin:activity', (q) => {
    service.requireSuperAdmin();
    return service.adminActivity(q ?? {});
  });
  handle('admin:workspaces', () => {
    service.requireSuperAdmin();
    return service.adminWorkspaces();
  });
  handle('admin:users', (req) => {
    service.requireSuperAdmin();
    return service.adminUsers(req?.workspaceId);
  });
  handle('admin:critical-events', (req) => {
    service.requireSuperAdmin();
    return service.criticalEvents(req?.limit);
  });
}
