// All side effects that feed the stores from the platform live here; returns the cleanup.
import { platform } from './platform/index.ts';
import { useActivityStore, useAdminActivityStore } from './stores/activity.ts';
import { useAppStateStore } from './stores/app-state.ts';
import { useNotificationsStore } from './stores/notifications.ts';
import { useSessionStore } from './stores/session.ts';

const ACTIVITY_REFRESH_MS = 10_000;

export function startSubscriptions(): () => void {
  const offs: Array<() => void> = [];
  offs.push(
    platform.on.state((s) => {
      const was = useAppStateStore.getState().connection;
      useAppStateStore.getState().set(s);
      // Back online: send what was changed meanwhile.
      if (s.connection === 'online' && was !== 'online') void useNotificationsStore.getState().flushPending();
    }),
  );
  const retry = setInterval(() => {
    if (useNotificationsStore.getState().pending.length > 0 && navigator.onLine !== false) void useNotificationsStore.getState().flushPending();
  }, 15_000);
  offs.push(() => clearInterval(retry));
  offs.push(
    platform.on.session((s) => {
      const wasUser = useSessionStore.getState().session?.me?.id;
      useSessionStore.getState().set(s);
      if (s.me?.id !== wasUser) {
        useNotificationsStore.getState().reset();
        useActivityStore.getState().reset();
        useAdminActivityStore.getState().reset();
      }
    }),
  );
  offs.push(
    platform.on.streamEvent((e) => {
      useNotificationsStore.getState().applyEvent(e);
      // A new notification usually comes with new activity: look for it now.
      if (e.type === 'notification.created') {
        void useActivityStore.getState().refreshNewest();
        void useAdminActivityStore.getState().refreshNewest();
      }
    }),
  );
  // A clicked toast: the bell shows that notification.
  offs.push(platform.on.focusNotification((f) => useNotificationsStore.getState().focus(f.id, f.detail)));
  // Activity has no stream of its own: poll for newer entries while a feed is shown.
  const timer = setInterval(() => {
    if (document.visibilityState !== 'visible') return;
    void useActivityStore.getState().refreshNewest();
    void useAdminActivityStore.getState().refreshNewest();
  }, ACTIVITY_REFRESH_MS);
  offs.push(() => clearInterval(timer));
  void platform.state.get().then((s) => useAppStateStore.getState().set(s));
  void useSessionStore.getState().load();
  return () => offs.forEach((off) => off());
}
