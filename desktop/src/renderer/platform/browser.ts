// The web build's stand-in for the Electron preload: the same AppApi, on the same shared
// app core (session, live updates, notification actions), with Web Notifications, HTML audio and the page title as the badge.
import type { Alert } from '../../shared/alert-scheduler.ts';
import { createAppService, type AppService } from '../../shared/app-service.ts';
import type { AppApi, AppState, DeploymentInfo, NotificationFocus, Session, WindowName } from '../../shared/ipc.ts';
import { DEFAULT_SETTINGS, sanitizeSettings, type LocalSettings } from '../../shared/settings.ts';
import type { SettingsStore, TokenStore } from '../../shared/session.ts';
import type { SoundName } from '../../shared/sounds.ts';
import type { FetchLike } from '../../shared/stream-client.ts';
import type { DeliveryFailureReason, StreamEvent } from '../../shared/types.ts';
import { badgeLabel } from '../../shared/unread.ts';
import { ToastBook } from '../../shared/toast-book.ts';
import { isToastAction, toastActionsFor, type ToastAction } from '../../shared/toast-actions.ts';
import { Emitter } from './emitter.ts';
import { playSoundFile } from './sound-file.ts';

const TOKEN_KEY = 'tray-notify.token';
const SETTINGS_KEY = 'tray-notify.settings';
export const BASE_TITLE = 'Notifications';

/** The title is the web build's badge: "(3) Notifications". */
export function titleFor(count: number): string {
  const label = badgeLabel(count);
  return label ? `(${label}) ${BASE_TITLE}` : BASE_TITLE;
}

function browserTokens(storage: Storage): TokenStore {
  return {
    load: () => storage.getItem(TOKEN_KEY),
    save: (t) => (t ? storage.setItem(TOKEN_KEY, t) : storage.removeItem(TOKEN_KEY)),
  };
}

/**
 * Notification targets are paths of the host sales app, which this server does not serve: with
 * no host app configured the web build shows the notification itself (absolute targets, from the
 * server's APP_BASE_URL, still open).
 */
const NO_HOST_APP = '';

/** In the browser the server is the page's own origin; the other settings live in localStorage. */
function browserSettings(storage: Storage, origin: string): SettingsStore {
  const managed = (s: LocalSettings): LocalSettings => ({ ...s, serverUrl: origin, startAtLogin: false });
  return {
    load: () => {
      try {
        return managed(sanitizeSettings(JSON.parse(storage.getItem(SETTINGS_KEY) ?? 'null'), { ...DEFAULT_SETTINGS, webAppBaseUrl: NO_HOST_APP }));
      } catch {
        return managed({ ...DEFAULT_SETTINGS, webAppBaseUrl: NO_HOST_APP });
      }
    },
    save: (next) => {
      storage.setItem(SETTINGS_KEY, JSON.stringify(next));
      return managed(next);
    },
  };
}

export function createBrowserApi(win: Window = window): AppApi {
  const stateEvents = new Emitter<AppState>();
  const sessionEvents = new Emitter<Session>();
  const streamEvents = new Emitter<StreamEvent>();
  const soundEvents = new Emitter<{ sound: SoundName; volume: number }>();
  const exportEvents = new Emitter<{ rows: number }>();
  const focusEvents = new Emitter<NotificationFocus>();
  const origin = win.location.origin;

  const openWindow = (name: WindowName, query = '') => {
    win.location.hash = `#/${name}${query ? `?${query}` : ''}`;
  };

  let core: AppService;
  const WebNotification = (win as Window & { Notification?: typeof Notification }).Notification;

  // Toasts on screen by notification id, so that one handled anywhere closes here too.
  const toasts = new ToastBook<{ close(): void }>();
  // A service worker's notifications can carry buttons; without one (an old browser, no secure
  // context) toasts are plain page notifications whose click opens.
  let worker: ServiceWorkerRegistration | null = null;
  const container = (win.navigator as Navigator & { serviceWorker?: ServiceWorkerContainer }).serviceWorker;
  if (container) {
    void container
      .register('./notification-worker.js')
      .then((r) => container.ready.then(() => (worker = r)))
      .catch((err) => console.warn('notification worker not registered', String(err)));
    container.addEventListener('message', (event: MessageEvent) => {
      const msg = event.data as { type?: string; id?: string | null; summary?: boolean; action?: string } | null;
      if (msg?.type !== 'toast-action') return;
      if (msg.summary || !msg.id) openWindow('bell');
      else void act(msg.id, isToastAction(msg.action) ? msg.action : 'open');
    });
  }
  const outcome = (ids: string[], shown: boolean, reason?: DeliveryFailureReason) => {
    for (const id of ids) core.live.toastOutcome(id, shown, reason);
  };

  /** A click or a button on a single toast: as in the desktop app, a link lands; anything else is shown in the bell. */
  const act = async (id: string, action: ToastAction) => {
    const focus = await core.notifications.fromToast(id, action);
    if (!focus) return;
    openWindow('bell');
    focusEvents.emit(focus);
  };

  const showAlert = (alert: Alert, workspaceName: (id: string) => string) => {
    const ids = alert.kind === 'single' ? [alert.notification.id] : alert.ids;
    if (!WebNotification || WebNotification.permission !== 'granted') {
      outcome(ids, false, WebNotification ? 'permission_denied' : 'unsupported');
      return;
    }
    const title = alert.kind === 'single' ? alert.notification.title : alert.title;
    const body =
      alert.kind === 'single' ? [workspaceName(alert.notification.workspace_id), alert.notification.body].filter(Boolean).join(' · ') : alert.body;
    const tag = alert.kind === 'single' ? alert.notification.id : `summary-${ids[0] ?? ''}`;
    if (worker) {
      const reg = worker;
      // Browsers show only a few buttons (Chromium: 2): the state changes first; a click on the toast opens.
      const max = (WebNotification as typeof Notification & { maxActions?: number }).maxActions ?? 2;
      const actions = alert.kind === 'single' ? toastActionsFor(alert.notification).filter((a) => a.action !== 'open') : [];
      const options = {
        body,
        tag,
        silent: true,
        data: { id: alert.kind === 'single' ? alert.notification.id : null, summary: alert.kind === 'summary' },
        actions: actions.slice(0, max).map((a) => ({ action: a.action, title: a.title })),
      };
      toasts.add({ close: () => void reg.getNotifications({ tag }).then((shown) => shown.forEach((n) => n.close())) }, ids);
      reg.showNotification(title, options as NotificationOptions).then(
        () => outcome(ids, true),
        (err: unknown) => {
          console.warn('notification not shown', String(err));
          outcome(ids, false, 'other');
        },
      );
      return;
    }
    const n = new WebNotification(title, { body, tag, silent: true });
    toasts.add(n, ids);
    n.onshow = () => outcome(ids, true);
    n.onerror = () => outcome(ids, false, 'other');
    n.onclose = () => toasts.remove(n);
    n.onclick = () => {
      win.focus();
      n.close();
      toasts.remove(n);
      if (alert.kind === 'single') void act(alert.notification.id, 'open');
      else openWindow('bell');
    };
  };

  core = createAppService({
    fetch: win.fetch.bind(win) as unknown as FetchLike,
    tokens: browserTokens(win.localStorage),
    settings: browserSettings(win.localStorage, origin),
    showAlert,
    clearAlert: (id) => {
      for (const toast of toasts.handled(id)) toast.close();
    },
    client: 'web',
    // Played right here; the Electron build plays them in its hidden #/sound page instead.
    playSound: (sound, volume) => playSoundFile(sound, volume),
    openInBrowser: (url) => {
      win.open(url, '_blank', 'noopener,noreferrer');
    },
    openActivity: (query) => openWindow('activity', query),
    onState: (s) => {
      win.document.title = titleFor(s.unread.unseen);
      stateEvents.emit(s);
    },
    onSession: (s) => sessionEvents.emit(s),
    onStreamEvent: (e) => streamEvents.emit(e),
    log: {
      info: (msg, meta) => console.info(msg, meta ?? ''),
      warn: (msg, meta) => console.warn(msg, meta ?? ''),
    },
  });

  const { session, live, notifications } = core;
  win.addEventListener('online', () => live.resume());
  // The network went away: an open stream would notice only at its idle timeout (45 s);
  // reconnecting now fails at once, so the app says it is offline while it is.
  win.addEventListener('offline', () => live.resume());
  win.document.addEventListener('visibilitychange', () => {
    if (win.document.visibilityState === 'visible') live.resume();
  });
  // Where the person is: input in this tab. Reports are throttled by the app core (one every
  // 30 s at most while input goes on); a minute without input, or the tab hidden, is idle.
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const onInput = () => {
    if (win.document.visibilityState !== 'visible') return;
    live.noteActivity();
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => live.noteIdle(), 60_000);
  };
  for (const type of ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'focus'] as const) {
    win.addEventListener(type, onInput, { passive: true, capture: true });
  }
  win.document.addEventListener('visibilitychange', () => {
    if (win.document.visibilityState === 'hidden') live.noteIdle();
  });
  win.addEventListener('pagehide', () => live.noteIdle());
  const started = session.start();
  // A tab opened or reloaded with focus is where the person is, before any further input.
  void started.then(() => {
    if (win.document.hasFocus()) onInput();
  });

  const deployment = (): DeploymentInfo => ({
    serverUrl: origin,
    serverUrlLocked: true,
    webAppBaseUrl: session.getSettings().webAppBaseUrl,
    startAtLogin: false,
    startAtLoginLocked: true,
    autoUpdate: false,
    problems: [],
  });

  const asking = async () => {
    // Web Notifications need the user's permission, asked from a click (the login button).
    if (WebNotification?.permission === 'default') await WebNotification.requestPermission().catch(() => undefined);
  };

  return {
    platform: 'web',
    session: {
      get: async () => {
        await started;
        return session.snapshot;
      },
      login: async (req) => {
        void asking();
        return session.login({ ...req, serverUrl: origin });
      },
      logout: () => session.logout(),
      switchWorkspace: (id) => session.switchWorkspace(id),
    },
    state: { get: async () => live.state },
    notifications: {
      list: (q) => session.signedInApi().listNotifications(q),
      update: (id, change) => notifications.update(id, change),
      markAllRead: (ws) => notifications.markAllRead(ws),
      markAllSeen: (options) => notifications.markAllSeen(options),
      bulk: (req) => notifications.bulk(req),
      undoBulk: (token) => notifications.undoBulk(token),
      open: (id) => notifications.open(id),
      mute: (id, scope) => notifications.mute(id, scope),
      claim: (id, claim) => session.signedInApi().claimNotification(id, claim),
      sendTest: () => session.signedInApi().sendTestAlert(),
      deliveryReports: (id) => session.signedInApi().deliveryReports(id),
    },
    mutes: {
      list: () => notifications.listMutes(),
      remove: (id) => notifications.deleteMute(id),
    },
    activity: {
      list: (q) => session.signedInApi().listActivity(q),
      // Chunks gather into a Blob that the browser saves as a download.
      export: async (req) => {
        const chunks: Uint8Array[] = [];
        const result = await core.activity.export(req, (chunk) => void chunks.push(chunk), (rows) => exportEvents.emit({ rows }));
        const blob = new Blob(chunks as BlobPart[], { type: req.format === 'csv' ? 'text/csv' : 'application/x-ndjson' });
        const link = win.document.createElement('a');
        link.href = URL.createObjectURL(blob);
        link.download = result.file;
        win.document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
        return result;
      },
      openTarget: async (target) => core.activity.openTarget(target),
    },
    workspace: {
      members: () => session.signedInApi().listMembers(),
      setMemberRole: (userId, role) => session.signedInApi().changeMemberRole(userId, role),
      removeMember: (userId) => session.signedInApi().removeMember(userId),
      retention: () => session.signedInApi().activityRetention(),
      setRetention: (days) => session.signedInApi().setActivityRetention(days),
      notificationDefaults: () => session.signedInApi().notificationDefaults(),
      setNotificationDefaults: (types) => session.signedInApi().setNotificationDefaults(types),
      escalations: () => session.signedInApi().notificationEscalations(),
      setEscalations: (items) => session.signedInApi().setNotificationEscalations(items),
    },
    alertRules: {
      list: () => session.signedInApi().listAlertRules(),
      create: (input) => session.signedInApi().createAlertRule(input),
      update: (id, change) => session.signedInApi().updateAlertRule(id, change),
      remove: (id) => session.signedInApi().deleteAlertRule(id),
    },
    admin: {
      activity: (q) => session.superAdminApi().listAdminActivity(q),
      workspaces: () => session.superAdminApi().adminWorkspaces(),
      users: (ws) => session.superAdminApi().adminUsers(ws),
      criticalEvents: (limit) => session.superAdminApi().criticalEvents(limit),
    },
    preferences: {
      get: () => live.getPreferences(),
      set: (p) => live.setPreferences(p),
    },
    settings: {
      get: async () => session.getSettings(),
      set: async (s) => session.setSettings(s),
      testSound: async (sound, volume) => live.testSound(sound, volume),
    },
    deployment: { get: async () => deployment() },
    windows: {
      open: async (name, query) => {
        if (name === 'admin' && !session.currentUser?.is_super_admin) throw Object.assign(new Error('Only super admins can open the admin activity.'), { code: 'forbidden' });
        openWindow(name, query);
      },
      close: async () => openWindow('bell'),
    },
    on: {
      state: (cb) => stateEvents.on(cb),
      session: (cb) => sessionEvents.on(cb),
      streamEvent: (cb) => streamEvents.on(cb),
      playSound: (cb) => soundEvents.on(cb),
      exportProgress: (cb) => exportEvents.on(cb),
      focusNotification: (cb) => focusEvents.on(cb),
    },
  };
}
