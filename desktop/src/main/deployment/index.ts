// Entry point for main/index.ts: configuration, logging, start at login and
// auto-update in one call. Every Electron-facing dependency can be replaced,
// which is how the unit tests drive it; the defaults are the real modules.
//
// Wiring (main/index.ts), once per process, in the single-instance branch:
//   const deployment = registerDeployment();             // before anything logs
//   handle('deployment:get', () => deployment.info());    // or the settings handlers' provider
//   deployment.onUpdateReady(() => tray.refresh());       // tray shows "Restart to update"
// Tray menu: "Restart to update (vX)" when deployment.updateReadyVersion() !== null,
// calling deployment.restartToUpdate(); "Open logs folder" calling deployment.openLogsFolder().
import fs from 'node:fs';
import os from 'node:os';
import { app as electronApp, shell as electronShell, type App, type Shell } from 'electron';
import electronLog from 'electron-log/main';
import electronUpdater from 'electron-updater';
import { type DeploymentConfig, type DeploymentInfo, parseHttpUrl, toDeploymentInfo } from './config.ts';
import { loadDeploymentConfig, userSettingsPath } from './load-config.ts';
import { type ConfigurableLogger, configureLogging, logDirectory } from './logging.ts';
import { applyStartAtLogin } from './start-at-login.ts';
import { saveUserSettings } from './user-settings.ts';
import { type AutoUpdater, type UpdaterHandle, registerAutoUpdater, updateSupport } from './updater.ts';

export type { DeploymentConfig, DeploymentInfo } from './config.ts';

export const PRODUCT_NAME = 'Tray Notify';

/** Thrown when the user tries to change a setting IT locked, or gives an invalid value. */
export class DeploymentSettingError extends Error {
  constructor(
    message: string,
    readonly code: 'locked' | 'invalid',
  ) {
    super(message);
    this.name = 'DeploymentSettingError';
  }
}

type Log = ConfigurableLogger & { info(...params: unknown[]): void; warn(...params: unknown[]): void; error(...params: unknown[]): void };

export interface DeploymentDeps {
  app: Pick<App, 'isPackaged' | 'getPath' | 'setAppLogsPath' | 'setLoginItemSettings' | 'whenReady'>;
  shell: Pick<Shell, 'openPath'>;
  /** electron-updater's autoUpdater, created on first use. */
  getUpdater: () => AutoUpdater;
  log: Log;
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  homedir: string;
  execPath: string;
  fileExists: (file: string) => boolean;
  /** process.resourcesPath */
  resourcesPath: string;
  readText: (file: string) => string | null;
  setInterval: (callback: () => void, ms: number) => unknown;
  clearInterval: (handle: unknown) => void;
}

export interface DeploymentHandle {
  /** The `deployment:get` IPC response. */
  info(): DeploymentInfo;
  /** Everything resolved, including the update feed and where each value came from. */
  config(): DeploymentConfig;
  /** Saves the user's choice and applies it; throws DeploymentSettingError when IT locked it. */
  setStartAtLogin(enabled: boolean): DeploymentInfo;
  /** Saves the user's server (null: back to IT's value or none); throws DeploymentSettingError when locked or invalid. */
  setServerUrl(url: string | null): DeploymentInfo;
  /** Calls `listener` with the version once an update is downloaded (at once if one already is); returns an unsubscribe. */
  onUpdateReady(listener: (version: string) => void): () => void;
  /** Version waiting for "Restart to update", or null. */
  updateReadyVersion(): string | null;
  /** The tray's "Restart to update": quits and installs; false when nothing is downloaded. */
  restartToUpdate(): boolean;
  /** The tray's "Open logs folder". Resolves to '' on success or the OS's error message. */
  openLogsFolder(): Promise<string>;
  readonly logsFolder: string;
  readonly logFile: string;
  /** The configured logger (electron-log), for the rest of the main process. */
  readonly log: Pick<Log, 'info' | 'warn' | 'error'>;
  dispose(): void;
}

function defaultDeps(): DeploymentDeps {
  return {
    app: electronApp,
    shell: electronShell,
    // electron-updater is CommonJS and defines autoUpdater as a lazy getter, which
    // ESM named imports cannot see: take it from the default export.
    getUpdater: () => electronUpdater.autoUpdater,
    log: electronLog,
    argv: process.argv,
    env: process.env,
    platform: process.platform,
    homedir: os.homedir(),
    execPath: process.execPath,
    fileExists: (file) => fs.existsSync(file),
    resourcesPath: process.resourcesPath ?? '',
    readText: (file) => {
      try {
        return fs.readFileSync(file, 'utf8');
      } catch {
        return null;
      }
    },
    setInterval: (callback, ms) => setInterval(callback, ms),
    clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
  };
}

/**
 * Call once, early in main/index.ts (before app.whenReady() resolves is fine):
 * logging is set up first so everything after it is captured.
 */
export function registerDeployment(overrides: Partial<DeploymentDeps> = {}): DeploymentHandle {
  const deps: DeploymentDeps = { ...defaultDeps(), ...overrides };
  const { app, log } = deps;

  const logsFolder = logDirectory({
    platform: deps.platform,
    env: deps.env,
    homedir: deps.homedir,
    productName: PRODUCT_NAME,
    electronLogsPath: () => app.getPath('logs'),
  });
  // So app.getPath('logs') (crash reports, other modules) names the same folder.
  app.setAppLogsPath(logsFolder);
  const logFile = configureLogging(log, logsFolder);

  const userDataDir = app.getPath('userData');
  const userFile = userSettingsPath(userDataDir);
  /** Set when the login item could not be written; shown with the configuration problems. */
  let startAtLoginProblem: string | null = null;
  const load = () => loadDeploymentConfig({ argv: deps.argv, env: deps.env, platform: deps.platform, userDataDir, readText: (f) => fs.readFileSync(f, 'utf8') });
  let config = load();

  log.info(`${PRODUCT_NAME} configuration from ${config.machineConfigPath} and ${userFile}:`, {
    serverUrl: config.serverUrl,
    serverUrlLocked: config.serverUrlLocked,
    webAppBaseUrl: config.webAppBaseUrl,
    startAtLogin: config.startAtLogin,
    startAtLoginLocked: config.startAtLoginLocked,
    autoUpdate: config.autoUpdate,
    updateFeedUrl: config.updateFeedUrl,
    sources: config.sources,
  });
  for (const problem of config.problems) log.warn(`Configuration problem: ${problem}`);

  const syncStartAtLogin = () => {
    if (!app.isPackaged) {
      // A development run would register the bare Electron binary as a login item.
      log.info('Start at login is not applied in a development build.');
      return;
    }
    startAtLoginProblem = null;
    try {
      applyStartAtLogin(config.startAtLogin, {
        platform: deps.platform,
        app,
        env: deps.env,
        homedir: deps.homedir,
        execPath: deps.execPath,
        productName: PRODUCT_NAME,
      });
    } catch (error) {
      startAtLoginProblem = `Could not turn start at login ${config.startAtLogin ? 'on' : 'off'}: ${(error as Error).message}`;
      log.warn(startAtLoginProblem);
    }
  };
  syncStartAtLogin();

  let updater: UpdaterHandle | null = null;
  let disposed = false;
  const readyListeners = new Set<(version: string) => void>();
  // electron-updater needs Electron's network stack, which exists once the app is ready.
  void app.whenReady().then(() => {
    if (disposed) return;
    updater = registerAutoUpdater({
      getUpdater: deps.getUpdater,
      enabled: config.autoUpdate,
      feedUrl: config.updateFeedUrl,
      support: updateSupport({
        platform: deps.platform,
        isPackaged: app.isPackaged,
        env: deps.env,
        execPath: deps.execPath,
        productName: PRODUCT_NAME,
        fileExists: deps.fileExists,
        resourcesPath: deps.resourcesPath,
        readText: deps.readText,
      }),
      log,
      onUpdateReady: (version) => {
        for (const listener of readyListeners) listener(version);
      },
      setInterval: deps.setInterval,
      clearInterval: deps.clearInterval,
    });
  });

  const current = (): DeploymentConfig => ({ ...config, problems: startAtLoginProblem === null ? [...config.problems] : [...config.problems, startAtLoginProblem] });

  return {
    info: () => toDeploymentInfo(current()),
    config: current,
    setStartAtLogin(enabled) {
      if (config.startAtLoginLocked) {
        throw new DeploymentSettingError('Start at login is managed by your IT department and cannot be changed here.', 'locked');
      }
      saveUserSettings(userFile, { startAtLogin: enabled });
      config = load();
      log.info(`Start at login switched ${enabled ? 'on' : 'off'} by the user.`);
      syncStartAtLogin();
      return toDeploymentInfo(current());
    },
    setServerUrl(url) {
      if (config.serverUrlLocked) {
        throw new DeploymentSettingError('The server address is managed by your IT department and cannot be changed here.', 'locked');
      }
      let value: string | undefined;
      if (url !== null) {
        const parsed = parseHttpUrl(url);
        if (!parsed.ok) throw new DeploymentSettingError(`The server address ${parsed.reason}.`, 'invalid');
        value = parsed.value;
      }
      saveUserSettings(userFile, { serverUrl: value });
      config = load();
      log.info(`Server URL set to ${config.serverUrl ?? 'none'} by the user.`);
      return toDeploymentInfo(current());
    },
    onUpdateReady(listener) {
      readyListeners.add(listener);
      const ready = updater?.readyVersion() ?? null;
      if (ready !== null) listener(ready);
      return () => readyListeners.delete(listener);
    },
    updateReadyVersion: () => updater?.readyVersion() ?? null,
    restartToUpdate: () => updater?.restartToUpdate() ?? false,
    async openLogsFolder() {
      fs.mkdirSync(logsFolder, { recursive: true });
      const error = await deps.shell.openPath(logsFolder);
      if (error !== '') log.warn(`Could not open the logs folder ${logsFolder}: ${error}`);
      return error;
    },
    logsFolder,
    logFile,
    log,
    dispose() {
      disposed = true;
      updater?.dispose();
      readyListeners.clear();
    },
  };
}
