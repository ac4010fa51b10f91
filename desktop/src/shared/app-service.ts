// Wiring only, shared by the Electron main process and the web build: the session, the live
// updates that follow it, and the notification actions on both. Platforms only supply the hooks
// (tray/native notifications vs. page title/Web Notifications).
import { LiveUpdates, type LiveHooks } from './live-updates.ts';
import { NotificationActions, type NotificationActionHooks } from './notification-actions.ts';
import { AppSession, type SessionHooks } from './session.ts';

export type PlatformHooks = SessionHooks & LiveHooks & NotificationActionHooks;

export interface AppService {
  session: AppSession;
  live: LiveUpdates;
  notifications: NotificationActions;
}

export function createAppService(hooks: PlatformHooks): AppService {
  const session = new AppSession(hooks);
  const live = new LiveUpdates(session, hooks);
  session.listen(live);
  return { session, live, notifications: new NotificationActions(session, live, hooks) };
}
