import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { App, Shell } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The real modules need a running Electron; these fakes implement the few calls used.
const electron = vi.hoisted(() => {
  const paths: Record<string, string> = {};
  return {
    paths,
    app: {
      isPackaged: true,
      getPath: vi.fn((name: string) => paths[name] ?? `/unset/${name}`),
      setAppLogsPath: vi.fn(),
      setLoginItemSettings: vi.fn(),
      whenReady: vi.fn(async () => {}),
    },
    shell: { openPath: vi.fn(async (_path: string) => '') },
  };
});
vi.mock('electron', () => ({ app: electron.app, shell: electron.shell, default: electron }));
vi.mock('electron-updater', async () => {
  const { FakeUpdater } = await import('../../testing/deployment-fakes.ts');
  return { default: { autoUpdater: new FakeUpdater() } };
});
vi.mock('electron-log/main', async () => {
  const { fakeLogger } = await import('../../testing/deployment-fakes.ts');
  return { default: fakeLogger() };
});

const { default: electronUpdater } = await import('electron-updater');
const { default: electronLog } = await import('electron-log/main');
const { DeploymentSettingError, registerDeployment } = await import('./index.ts');
const { FakeUpdater, fakeLogger } = await import('../../testing/deployment-fakes.ts');

// The fakes must keep fitting the real Electron typings.
electron.app satisfies Pick<App, 'isPackaged' | 'getPath' | 'setAppLogsPath' | 'setLoginItemSettings' | 'whenReady'>;
electron.shell satisfies Pick<Shell, 'openPath'>;

const realUpdater = electronUpdater.autoUpdater as unknown as InstanceType<typeof FakeUpdater>;
const realLog = electronLog as unknown as ReturnType<typeof fakeLogger>;

let root: string;
let home: string;
let machineFile: string;

function writeMachineConfig(config: object): void {
  writeFileSync(machineFile, JSON.stringify(config));
}

function baseOverrides() {
  return {
    env: { TRAY_NOTIFY_CONFIG_FILE: machineFile, XDG_STATE_HOME: path.join(root, 'state') },
    argv: ['/opt/Tray Notify/tray-notify'],
    platform: 'linux' as const,
    homedir: home,
    execPath: '/opt/Tray Notify/tray-notify',
    setInterval: () => 0,
    clearInterval: () => {},
  };
}

/** Lets the whenReady().then(...) that starts the updater run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'tray-notify-deploy-'));
  home = path.join(root, 'home');
  mkdirSync(home);
  machineFile = path.join(root, 'config.json');
  electron.paths.userData = path.join(root, 'userData');
  electron.paths.logs = path.join(root, 'electron-logs');
  electron.app.isPackaged = true;
  vi.clearAllMocks();
  realLog.hooks.length = 0;
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('registerDeployment with the real module wiring (Electron faked)', () => {
  it('on Windows: logs under %LOCALAPPDATA%, registers the login item and starts the updater with the IT feed', async () => {
    writeMachineConfig({ serverUrl: 'https://notify.acme.com', updateFeedUrl: 'https://files.acme.com/tray-notify' });
    const deployment = registerDeployment({
      env: { TRAY_NOTIFY_CONFIG_FILE: machineFile, LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' },
      argv: [],
      platform: 'win32',
      execPath: 'C:\\Program Files\\Tray Notify\\Tray Notify.exe',
      fileExists: (file) => file === 'C:\\Program Files\\Tray Notify\\Uninstall Tray Notify.exe', // NSIS install
      resourcesPath: 'C:\\Program Files\\Tray Notify\\resources',
      // What electron-builder writes for a signed build.
      readText: (file) =>
        file === 'C:\\Program Files\\Tray Notify\\resources\\app-update.yml'
          ? 'provider: generic\nurl: https://updates.invalid/tray-notify\npublisherName:\n  - Acme Sales Inc.\n'
          : null,
      setInterval: () => 0,
    });
    await settle();

    expect(deployment.logsFolder).toBe('C:\\Users\\ann\\AppData\\Local\\Tray Notify\\logs');
    expect(realLog.hooks).toHaveLength(1); // the redaction hook on electron-log's real default logger
    expect(deployment.log).toBe(realLog);
    expect(electron.app.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: true });
    expect(realUpdater.setFeedURL).toHaveBeenCalledWith({ provider: 'generic', url: 'https://files.acme.com/tray-notify' });
    expect(realUpdater.checkForUpdates).toHaveBeenCalled();
    expect(deployment.info()).toStrictEqual({
      serverUrl: 'https://notify.acme.com',
      serverUrlLocked: false,
      webAppBaseUrl: 'https://notify.acme.com',
      startAtLogin: true,
      startAtLoginLocked: false,
      autoUpdate: true,
      problems: [],
    });
    deployment.dispose();
  });
});

describe('registerDeployment', () => {
  function register(extra: Partial<Parameters<typeof registerDeployment>[0]> = {}) {
    const log = fakeLogger();
    const updater = new FakeUpdater();
    const shell = { openPath: vi.fn(async (_path: string) => '') };
    const deployment = registerDeployment({ ...baseOverrides(), log, getUpdater: () => updater, shell, ...extra });
    return { deployment, log, updater, shell };
  }
  const autostartFile = () => path.join(home, '.config', 'autostart', 'tray-notify.desktop');

  it('logs and shows configuration problems without failing', () => {
    writeFileSync(machineFile, '{"serverUrl": "notify.acme.com", "autoUpdate": "yes"}');
    const { deployment, log } = register();
    expect(deployment.info().problems).toEqual([
      `Machine configuration file ${machineFile}: "serverUrl" "notify.acme.com" is not a valid URL (expected e.g. "https://notify.example.com"); ignored.`,
      `Machine configuration file ${machineFile}: "autoUpdate" must be true or false, not the string "yes"; ignored.`,
    ]);
    expect(log.warn.mock.calls.map(([message]) => message)).toEqual(deployment.info().problems.map((p) => `Configuration problem: ${p}`));
  });

  it('writes the Linux autostart entry at start, and the user can switch it off and on', () => {
    const { deployment } = register();
    expect(existsSync(autostartFile())).toBe(true);

    expect(deployment.setStartAtLogin(false).startAtLogin).toBe(false);
    expect(existsSync(autostartFile())).toBe(false);
    expect(JSON.parse(readFileSync(path.join(root, 'userData', 'user-settings.json'), 'utf8'))).toEqual({ startAtLogin: false });

    // The saved choice survives a restart.
    const restarted = register();
    expect(restarted.deployment.info().startAtLogin).toBe(false);
    expect(existsSync(autostartFile())).toBe(false);
    restarted.deployment.setStartAtLogin(true);
    expect(existsSync(autostartFile())).toBe(true);
  });

  it('refuses to change start at login when IT locked it, and keeps enforcing IT\'s value', () => {
    writeMachineConfig({ startAtLogin: true, startAtLoginLocked: true });
    const { deployment } = register();
    expect(() => deployment.setStartAtLogin(false)).toThrow(
      new DeploymentSettingError('Start at login is managed by your IT department and cannot be changed here.', 'locked'),
    );
    expect(deployment.info()).toMatchObject({ startAtLogin: true, startAtLoginLocked: true });
    expect(existsSync(autostartFile())).toBe(true);
    expect(existsSync(path.join(root, 'userData', 'user-settings.json'))).toBe(false);
  });

  it('reports a login item that cannot be written as a problem instead of crashing', () => {
    mkdirSync(path.join(home, '.config'));
    writeFileSync(path.join(home, '.config', 'autostart'), 'not a folder');
    const { deployment } = register();
    expect(deployment.info().problems).toHaveLength(1);
    expect(deployment.info().problems[0]).toMatch(/^Could not turn start at login on: .*(EEXIST|ENOTDIR)/);
    // Switching it off needs no folder, so it succeeds and the problem goes away.
    expect(deployment.setStartAtLogin(false).problems).toEqual([]);
  });

  it('does not register a login item or an updater in a development build', async () => {
    electron.app.isPackaged = false;
    writeMachineConfig({ updateFeedUrl: 'https://files.acme.com/tray-notify' });
    const getUpdater = vi.fn(() => new FakeUpdater());
    register({ getUpdater });
    await settle();
    expect(existsSync(autostartFile())).toBe(false);
    expect(getUpdater).not.toHaveBeenCalled();
  });

  describe('server URL', () => {
    it('saves a valid user choice, normalised, over an unlocked IT default', () => {
      writeMachineConfig({ serverUrl: 'https://it.example.com' });
      const { deployment } = register();
      expect(deployment.info()).toMatchObject({ serverUrl: 'https://it.example.com', webAppBaseUrl: 'https://it.example.com' });
      expect(deployment.setServerUrl('https://mine.example.com/')).toMatchObject({ serverUrl: 'https://mine.example.com', webAppBaseUrl: null });
      expect(register().deployment.info().serverUrl).toBe('https://mine.example.com');
      expect(deployment.setServerUrl(null).serverUrl).toBe('https://it.example.com');
    });

    it('refuses an invalid URL with the reason', () => {
      const { deployment } = register();
      expect(() => deployment.setServerUrl('notify')).toThrow(
        new DeploymentSettingError('The server address "notify" is not a valid URL (expected e.g. "https://notify.example.com").', 'invalid'),
      );
    });

    it('refuses any change when IT locked it', () => {
      writeMachineConfig({ serverUrl: 'https://it.example.com', serverUrlLocked: true });
      const { deployment } = register();
      expect(() => deployment.setServerUrl('https://mine.example.com')).toThrow(DeploymentSettingError);
      expect(deployment.info().serverUrl).toBe('https://it.example.com');
    });
  });

  describe('updates', () => {
    function registerAppImage() {
      writeMachineConfig({ updateFeedUrl: 'https://files.acme.com/tray-notify' });
      return register({ env: { ...baseOverrides().env, APPIMAGE: path.join(home, 'tray-notify.AppImage') } });
    }

    it('tells the tray when an update is ready, also a listener that subscribes later, and restarts into it', async () => {
      const { deployment, updater } = registerAppImage();
      await settle();
      const early = vi.fn();
      deployment.onUpdateReady(early);
      expect(deployment.restartToUpdate()).toBe(false);

      updater.downloaded('1.5.0');
      expect(early).toHaveBeenCalledWith('1.5.0');
      const late = vi.fn();
      deployment.onUpdateReady(late);
      expect(late).toHaveBeenCalledWith('1.5.0');
      expect(deployment.updateReadyVersion()).toBe('1.5.0');

      expect(deployment.restartToUpdate()).toBe(true);
      expect(updater.quitAndInstall).toHaveBeenCalledWith(true, true);
    });

    it('stops notifying a listener after it unsubscribes', async () => {
      const { deployment, updater } = registerAppImage();
      await settle();
      const listener = vi.fn();
      const unsubscribe = deployment.onUpdateReady(listener);
      unsubscribe();
      updater.downloaded('1.5.0');
      expect(listener).not.toHaveBeenCalled();
    });

    it('leaves an MSI install on Windows to the deployment tool', async () => {
      writeMachineConfig({ updateFeedUrl: 'https://files.acme.com/tray-notify' });
      const { updater, log } = register({ platform: 'win32', execPath: 'C:\\Program Files\\Tray Notify\\Tray Notify.exe', fileExists: () => false });
      await settle();
      expect(updater.setFeedURL).not.toHaveBeenCalled();
      expect(log.info).toHaveBeenCalledWith('Auto-update is off: it was not installed by the NSIS installer (an MSI install is updated by your deployment tool).');
    });

    it('leaves a deb/rpm install to the package manager', async () => {
      writeMachineConfig({ updateFeedUrl: 'https://files.acme.com/tray-notify' });
      const { updater } = register();
      await settle();
      expect(updater.setFeedURL).not.toHaveBeenCalled();
    });
  });

  describe('open logs folder', () => {
    it('creates and opens the XDG state log folder', async () => {
      const { deployment, shell } = register();
      const folder = path.join(root, 'state', 'tray-notify', 'logs');
      expect(deployment.logsFolder).toBe(folder);
      expect(deployment.logFile).toBe(path.join(folder, 'main.log'));
      expect(electron.app.setAppLogsPath).toHaveBeenCalledWith(folder);
      expect(electron.app.getPath).not.toHaveBeenCalledWith('logs');
      await expect(deployment.openLogsFolder()).resolves.toBe('');
      expect(shell.openPath).toHaveBeenCalledWith(folder);
      expect(existsSync(folder)).toBe(true);
    });

    it('logs and returns the OS error when the folder cannot be opened', async () => {
      const { deployment, log } = register({ shell: { openPath: async () => 'No application knows how to open it' } });
      await expect(deployment.openLogsFolder()).resolves.toBe('No application knows how to open it');
      expect(log.warn).toHaveBeenCalledWith(`Could not open the logs folder ${deployment.logsFolder}: No application knows how to open it`);
    });
  });
});
