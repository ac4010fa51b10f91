import type { AppSession } from '../../shared/session.ts';
import { handle } from '../ipc.ts';

export interface ActivityHandlerDeps {
  session: Pick<AppSession, 'signedInApi' | 'superAdminApi'>;
}

export function registerActivityHandlers({ session }: ActivityHandlerDeps): void {
  handle('activity:list', (q) => session.signedInApi().listActivity(q ?? {}));
  // Admin channels: refused here, before any request, to everyone who is not a super admin.
  handle('admin:activity', (q) => session.superAdminApi().listAdminActivity(q ?? {}));
  handle('admin:workspaces', () => session.superAdminApi().adminWorkspaces());
  handle('admin:users', (req) => session.superAdminApi().adminUsers(req?.workspaceId));
  handle('admin:critical-events', (req) => session.superAdminApi().criticalEvents(req?.limit));
}
