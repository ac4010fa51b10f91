// The web app's toasts with buttons (service worker notifications can have actions, page ones
// cannot). A click or a button is handed to an open page of the app, which does it through the
// API like the same click in the list; this worker holds no token and calls nothing itself.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('notificationclick', (event) => {
  const toast = event.notification;
  toast.close();
  const data = toast.data || {};
  event.waitUntil(
    (async () => {
      const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const page = pages.find((p) => p.focused) || pages.find((p) => p.visibilityState === 'visible') || pages[0];
      if (!page) {
        await self.clients.openWindow('./#/bell');
        return;
      }
      // A button that only changes state leaves the user where they are; the rest brings the page up.
      if (event.action !== 'read' && event.action !== 'snooze') await page.focus().catch(() => undefined);
      page.postMessage({ type: 'toast-action', id: data.id ?? null, summary: data.summary === true, action: event.action || 'click' });
    })(),
  );
});
