import type { AppService } from '../../shared/app-service.ts';
import { handle } from '../ipc.ts';

export interface NotificationHandlerDeps {
  service: Pick<AppService, 'listNotifications' | 'updateNotification' | 'markAllRead' | 'openNotification'>;
}

export function registerNotificationHandlers({ service }: NotificationHandlerDeps): void {
  handle('notifications:list', (q) => service.listNotifications(q ?? {}));
  handle('notifications:update', ({ id, read, archived }) => service.updateNotification(id, { read, archived }));
  handle('notifications:mark-all-read', (req) => service.markAllRead(req?.workspaceId));
  handle('notifications:open', ({ id }) => service.openNotification(id));
}
