import path from 'node:path';
import type { AppUpdater, Logger, UpdateDownloadedEvent } from 'electron-updater';

/** Checked at start and then this often: often enough to ship a fix within a working day. */
export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000;

/** The part of electron-updater's AppUpdater this module uses. */
export interface AutoUpdater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  logger: Logger | null;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'update-downloaded', listener: (info: UpdateDownloadedEvent) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

// Compile-time proof that the real AppUpdater fits the interface the fakes implement.
export const asAutoUpdater = (updater: AppUpdater): AutoUpdater => updater;

export type UpdateSupport = { supported: true } | { supported: false; reason: string };

export interface InstallInfo {
  platform: NodeJS.Platform;
  isPackaged: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** process.execPath */
  execPath: string;
  productName: string;
  fileExists: (file: string) => boolean;
}

/**
 * Whether this installation can update itself. electron-updater on Windows runs
 * the NSIS installer, so an MSI install (no NSIS uninstaller next to the exe) is
 * left to the deployment tool, or it would gain a second, per-user copy. Linux
 * deb/rpm installs are owned by the package manager (electron-updater would ask
 * for a root password through pkexec). Development runs have nothing to replace.
 */
export function updateSupport(install: InstallInfo): UpdateSupport {
  if (!install.isPackaged) return { supported: false, reason: 'this is a development build' };
  if (install.platform === 'win32') {
    const uninstaller = path.win32.join(path.win32.dirname(install.execPath), `Uninstall ${install.productName}.exe`);
    if (!install.fileExists(uninstaller)) {
      return { supported: false, reason: 'it was not installed by the NSIS installer (an MSI install is updated by your deployment tool)' };
    }
  }
  if (install.platform === 'linux' && (install.env.APPIMAGE ?? '') === '') {
    return { supported: false, reason: 'it was installed from a deb or rpm package, which the system package manager updates' };
  }
  return { supported: true };
}

export interface UpdaterDeps {
  /** Called only when updates are on: creating electron-updater's instance reads the app's files. */
  getUpdater: () => AutoUpdater;
  enabled: boolean;
  feedUrl: string | null;
  support: UpdateSupport;
  log: Logger;
  onUpdateReady: (version: string) => void;
  setInterval: (callback: () => void, ms: number) => unknown;
  clearInterval: (handle: unknown) => void;
}

export interface UpdaterHandle {
  /** Version downloaded and waiting for a restart, or null. */
  readyVersion(): string | null;
  /** Quits and installs the downloaded update; false when none is ready. */
  restartToUpdate(): boolean;
  dispose(): void;
}

/**
 * https, or http on this machine (a test feed): over plain http anyone on the network path
 * could serve an "update". electron-updater also checks the installer's code signature on
 * Windows (publisherName) and Squirrel.Mac the app's on macOS.
 */
export function isTrustedFeed(url: string): boolean {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'https:') return true;
    return parsed.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  } catch {
    return false;
  }
}

const INERT: UpdaterHandle = { readyVersion: () => null, restartToUpdate: () => false, dispose: () => {} };

export function registerAutoUpdater(deps: UpdaterDeps): UpdaterHandle {
  const { log } = deps;
  if (!deps.enabled || deps.feedUrl === null) {
    log.info(`Auto-update is off: ${deps.feedUrl === null ? 'no update feed URL is configured' : 'turned off by configuration'}.`);
    return INERT;
  }
  if (!deps.support.supported) {
    log.info(`Auto-update is off: ${deps.support.reason}.`);
    return INERT;
  }
  if (!isTrustedFeed(deps.feedUrl)) {
    log.warn(`Auto-update is off: the update feed must use https (got ${deps.feedUrl}); plain http is accepted on loopback only.`);
    return INERT;
  }

  const updater = deps.getUpdater();
  let ready: string | null = null;
  updater.logger = log;
  updater.autoDownload = true; // in the background; the user only sees "Restart to update"
  updater.autoInstallOnAppQuit = true; // a user who never clicks it still gets the update at next quit
  updater.setFeedURL({ provider: 'generic', url: deps.feedUrl });
  updater.on('update-downloaded', (info) => {
    ready = info.version;
    log.info(`Update ${info.version} downloaded; it installs on restart.`);
    deps.onUpdateReady(info.version);
  });
  // electron-updater emits 'error' *and* rejects the check; both must be handled or a
  // server that is down would surface as an unhandled rejection.
  updater.on('error', (error) => log.warn(`Update check failed: ${error.message}`));

  const check = () => {
    updater.checkForUpdates().catch((error: unknown) => {
      log.warn(`Update check failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  };
  log.info(`Auto-update is on: checking ${deps.feedUrl} now and every ${UPDATE_CHECK_INTERVAL_MS / 3_600_000} hours.`);
  check();
  const timer = deps.setInterval(check, UPDATE_CHECK_INTERVAL_MS);

  return {
    readyVersion: () => ready,
    restartToUpdate: () => {
      if (ready === null) return false;
      log.info(`Restarting to install update ${ready}.`);
      // Silent: no installer wizard for a user who only asked to restart; relaunch afterwards.
      updater.quitAndInstall(true, true);
      return true;
    },
    dispose: () => deps.clearInterval(timer),
  };
}
