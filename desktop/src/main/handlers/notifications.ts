import type { AppService } from '../../shared/app-service.ts';
import { handle } from '../ipc.ts';

export interface NotificationHandlerDeps {
  service: Pick<
    AppService,
    'listNotifications' | 'updateNotification' | 'markAllRead' | 'markAllSeen' | 'openNotification' | 'muteNotification' | 'listMutes' | 'deleteMute'
  >;
}

export function registerNotificationHandlers({ service }: NotificationHandlerDeps): void {
  handle('notifications:list', (q) => service.listNotifications(q ?? {}));
  handle('notifications:update', ({ id, read, archived, seen, snoozed_until }) =>
    service.updateNotification(id, { read, archived, seen, snoozed_until }),
  );
  handle('notifications:mark-all-read', (req) => service.markAllRead(req?.workspaceId));
  handle('notifications:mark-all-seen', (req) => service.markAllSeen({ workspaceId: req?.workspaceId, before: req?.before }));
  handle('notifications:open', ({ id }) => service.openNotification(id));
  handle('notifications:mute', ({ id, scope }) => service.muteNotification(id, scope));
  handle('mutes:list', () => service.listMutes());
  handle('mutes:delete', ({ id }) => service.deleteMute(id));
}
