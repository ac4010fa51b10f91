import type { NotificationActions } from '../../shared/notification-actions.ts';
import type { AppSession } from '../../shared/session.ts';
import { handle } from '../ipc.ts';

export interface NotificationHandlerDeps {
  session: Pick<AppSession, 'signedInApi'>;
  notifications: Pick<NotificationActions, 'update' | 'markAllRead' | 'open'>;
}

export function registerNotificationHandlers({ session, notifications }: NotificationHandlerDeps): void {
  handle('notifications:list', (q) => session.signedInApi().listNotifications(q ?? {}));
  handle('notifications:update', ({ id, read, archived }) => notifications.update(id, { read, archived }));
  handle('notifications:mark-all-read', (req) => notifications.markAllRead(req?.workspaceId));
  handle('notifications:open', ({ id }) => notifications.open(id));
}
