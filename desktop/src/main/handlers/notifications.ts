import type { NotificationActions } from '../../shared/notification-actions.ts';
import type { AppSession } from '../../shared/session.ts';
import { handle } from '../ipc.ts';

export interface NotificationHandlerDeps {
  session: Pick<AppSession, 'signedInApi'>;
  notifications: Pick<NotificationActions, 'update' | 'markAllRead' | 'bulk' | 'undoBulk' | 'markAllSeen' | 'open' | 'mute' | 'listMutes' | 'deleteMute'>;
}

export function registerNotificationHandlers({ session, notifications }: NotificationHandlerDeps): void {
  handle('notifications:list', (q) => session.signedInApi().listNotifications(q ?? {}));
  handle('notifications:update', ({ id, read, archived, seen, snoozed_until }) =>
    notifications.update(id, { read, archived, seen, snoozed_until }),
  );
  handle('notifications:mark-all-read', (req) => notifications.markAllRead(req?.workspaceId));
  handle('notifications:bulk', (req) => notifications.bulk(req));
  handle('notifications:bulk-undo', ({ undoToken }) => notifications.undoBulk(undoToken));
  handle('notifications:mark-all-seen', (req) => notifications.markAllSeen({ workspaceId: req?.workspaceId, before: req?.before }));
  handle('notifications:open', ({ id }) => notifications.open(id));
  handle('notifications:mute', ({ id, scope }) => notifications.mute(id, scope));
  handle('notifications:claim', ({ id, claim }) => session.signedInApi().claimNotification(id, claim));
  handle('notifications:test-alert', () => session.signedInApi().sendTestAlert());
  handle('notifications:delivery-reports', ({ id }) => session.signedInApi().deliveryReports(id));
  handle('mutes:list', () => notifications.listMutes());
  handle('mutes:delete', ({ id }) => notifications.deleteMute(id));
}
