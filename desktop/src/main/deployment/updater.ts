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
  /** process.resourcesPath: where electron-builder puts app-update.yml. */
  resourcesPath: string;
  /** A file's text, or null when it cannot be read. */
  readText: (file: string) => string | null;
}

/**
 * Whether electron-builder wrote the signer's name into app-update.yml, which it does when the
 * Windows build is code-signed: electron-updater then installs only an update signed by that
 * publisher. Without it electron-updater 6 would install an unsigned update, so the app does not
 * update itself at all (fail closed).
 */
export function hasPublisherName(appUpdateYml: string | null): boolean {
  const match = appUpdateYml?.match(/^publisherName:[ \t]*(.*)$(?:\n[ \t]+-[ \t]*(\S.*))?/m);
  if (!match) return false;
  const inline = match[1]!.trim();
  return inline === '' ? Boolean(match[2]) : !['null', '~', '[]', "''", '""'].includes(inline);
}

/**
 * Whether this installation can update itself. electron-updater on Windows runs
 * the NSIS installer, so an MSI install (no NSIS uninstaller next to the exe) is
 * left to the deployment tool, or it would gain a second, per-user copy. Linux
 * deb/rpm installs are owned by the package manager (electron-updater would ask
 * for a root password through pkexec). Development runs have nothing to replace. A Windows
 * build without a signer (hasPublisherName) is not updated: nothing could verify the update.
 */
export function updateSupport(install: InstallInfo): UpdateSupport {
  if (!install.isPackaged) return { supported: false, reason: 'this is a development build' };
  if (install.platform === 'win32') {
    const uninstaller = path.win32.join(path.win32.dirname(install.execPath), `Uninstall ${install.productName}.exe`);
    if (!install.fileExists(uninstaller)) {
      return { supported: false, reason: 'it was not installed by the NSIS installer (an MSI install is updated by your deployment tool)' };
    }
    if (!hasPublisherName(install.readText(path.win32.join(install.resourcesPath, 'app-update.yml')))) {
      return { supported: false, reason: "this build is not code-signed, so an update's signature could not be verified" };
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
 * Windows (against publisherName, see updateSupport) and Squirrel.Mac the app's on macOS.
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
