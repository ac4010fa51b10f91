// Wiring only: each concern lives in its own module and gets its dependencies here.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, net, powerMonitor, safeStorage, session, shell } from 'electron';
import { createAppService, type AppService } from '../shared/app-service.ts';
import type { FetchLike } from '../shared/stream-client.ts';
import { appLogger } from './log.ts';
import { registerDeployment, type DeploymentHandle } from './deployment/index.ts';
import { registerActivityHandlers } from './handlers/activity.ts';
import { registerNotificationHandlers } from './handlers/notifications.ts';
import { registerSessionHandlers } from './handlers/session.ts';
import { registerSettingsHandlers } from './handlers/settings.ts';
import { registerWindowHandlers } from './handlers/windows.ts';
import { send, setIpcLog } from './ipc.ts';
import { watchSystemIdle } from './idle-watch.ts';
import { Notifier } from './notifier.ts';
import { handleAppProtocol, registerAppScheme } from './protocol.ts';
import { contentSecurityPolicy, denyPermissions, hardenWebContents } from './security.ts';
import { JsonSettingsStore } from './settings-store.ts';
import { SoundPlayer } from './sound.ts';
import { SafeTokenStore } from './token-store.ts';
import { TrayController } from './tray.ts';
import { WindowManager } from './windows.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const WEB_ROOT = path.join(here, '..', 'web');
const PRELOAD = path.join(here, '..', 'preload', 'index.cjs');
const log = appLogger;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // First: logging is configured here, so everything after it reaches the log file.
  const deployment = registerDeployment();
  registerAppScheme();
  // Windows shows toasts only for an app with an AppUserModelID (the installer sets the same one).
  if (process.platform === 'win32') app.setAppUserModelId('com.traynotify.desktop');
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents, log));
  // A tray app: closing the last window does not quit.
  app.on('window-all-closed', () => undefined);
  void app.whenReady().then(() => start(deployment));
}

function start(deployment: DeploymentHandle): void {
  const userData = app.getPath('userData');
  const settingsStore = new JsonSettingsStore(path.join(userData, 'settings.json'), () => deployment.info());
  const tokens = new SafeTokenStore(safeStorage, path.join(userData, 'token.bin'), process.platform, () => settingsStore.load().serverUrl);

  denyPermissions(session.defaultSession, log);

  let windows: WindowManager;
  let core: AppService;
  const sounds = new SoundPlayer(PRELOAD, log);
  const notifier = new Notifier({
    platform: process.platform,
    openNotification: (id) => core.notifications.openFromToast(id),
    toastAction: (id, action) => core.notifications.fromToast(id, action),
    toastOutcome: (ids, shown, reason) => {
      for (const id of ids) core.live.toastOutcome(id, shown, reason);
    },
    showInBell: (focus) => windows.showNotification(focus, tray.bounds()),
    openBell: () => windows.open('bell'),
    log,
  });
  const tray = new TrayController({
    platform: process.platform,
    openWindow: (name) => windows.open(name),
    toggleBell: (bounds) => windows.toggleBell(bounds),
    markAllRead: () =>
      void core.notifications
        .markAllRead()
        // Open lists reload, whatever events the server sends for a bulk change.
        .then(() => broadcast('stream:event', { type: 'resync', id: null, data: {} }))
        .catch((err) => log.warn('mark all read failed', { error: String(err) })),
    quit: () => app.quit(),
    openWindows: () => windows.all(),
    updateReadyVersion: () => deployment.updateReadyVersion(),
    restartToUpdate: () => deployment.restartToUpdate(),
    openLogsFolder: () => void deployment.openLogsFolder(),
  });
  const broadcast = <C extends 'app:state' | 'app:session' | 'stream:event'>(
    channel: C,
    payload: Parameters<typeof send<C>>[2],
  ) => {
    for (const w of BrowserWindow.getAllWindows()) send(w.webContents, channel, payload);
  };

  core = createAppService({
    // Chromium's network stack for both the stream and the REST calls: system proxy, PAC, corporate CAs.
    fetch: net.fetch as unknown as FetchLike,
    apiFetchEnv: { fetch: net.fetch as unknown as typeof globalThis.fetch },
    tokens,
    settings: settingsStore,
    showAlert: (alert, workspaceName) => notifier.show(alert, workspaceName),
    clearAlert: (id) => notifier.clear(id),
    client: 'tray',
    playSound: (sound, volume) => sounds.play(sound, volume),
    // Only URLs that passed resolveTarget() get here: http(s) on the configured web app origin.
    openInBrowser: (url) => void shell.openExternal(url), // eng-disable OPEN_EXTERNAL_JS_CHECK
    openActivity: (query) => windows.open('activity', query),
    onState: (state) => {
      tray.update(state);
      broadcast('app:state', state);
    },
    onSession: (s) => {
      tray.setSession(s);
      windows.enforceAccess();
      broadcast('app:session', s);
    },
    onStreamEvent: (e) => broadcast('stream:event', e),
    log,
  });
  // `session` is Electron's here: the app's own is `appSession`.
  const { session: appSession, live, notifications } = core;
  windows = new WindowManager({
    preloadPath: PRELOAD,
    platform: process.platform,
    isSignedIn: () => appSession.currentUser !== null,
    isSuperAdmin: () => appSession.currentUser?.is_super_admin === true,
    log,
    onOpened: () => tray.update(live.state),
  });

  handleAppProtocol({ root: WEB_ROOT, csp: contentSecurityPolicy });
  setIpcLog((msg) => log.warn(msg));
  // The server URL and start at login are kept by the deployment (IT's values and locks win).
  const managed = {
    deployment: () => deployment.info(),
    setStartAtLogin: (on: boolean) => deployment.setStartAtLogin(on),
    setServerUrl: (url: string) => deployment.setServerUrl(url),
  };
  registerSessionHandlers({ session: appSession, live, managed });
  registerNotificationHandlers({ session: appSession, notifications });
  registerActivityHandlers({ session: appSession, activity: core.activity, downloadsDir: () => app.getPath('downloads') });
  registerSettingsHandlers({ session: appSession, live, ...managed });
  registerWindowHandlers({ windows });

  tray.create();
  // "Restart to update (x.y.z)" appears once an update is downloaded.
  deployment.onUpdateReady(() => tray.refresh());
  powerMonitor.on('resume', () => live.resume());
  powerMonitor.on('unlock-screen', () => live.resume());
  // Where the user is: new notifications sound only on the device they are at.
  const stopIdleWatch = watchSystemIdle(live);
  powerMonitor.on('lock-screen', () => live.noteIdle());
  powerMonitor.on('suspend', () => live.noteIdle());
  app.on('second-instance', () => windows.open(appSession.currentUser ? 'bell' : 'login'));
  app.on('before-quit', () => {
    stopIdleWatch();
    live.noteIdle();
    live.stop();
    sounds.destroy();
    tray.destroy();
  });

  void appSession.start().then((s) => {
    if (!s.me && !s.restoring) windows.open('login');
  });
}
