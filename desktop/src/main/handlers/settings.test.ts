// settings:set and session:login against the real deployment (registerDeployment with its
// own files and the Linux autostart entry) and the real settings store; Electron faked.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { App, Shell } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session } from '../../shared/ipc.ts';
import type { LocalSettings } from '../../shared/settings.ts';
import { sanitizeSettings } from '../../shared/settings.ts';
import { invokeAs, resetElectronFake } from '../../testing/electron-fake.ts';

vi.mock('electron', async () => ({
  ...(await import('../../testing/electron-fake.ts')).electronFake,
  shell: { openPath: async () => '' } satisfies Pick<Shell, 'openPath'>,
}));
vi.mock('electron-updater', async () => {
  const { FakeUpdater } = await import('../../testing/deployment-fakes.ts');
  return { default: { autoUpdater: new FakeUpdater() } };
});
vi.mock('electron-log/main', async () => ({ default: (await import('../../testing/deployment-fakes.ts')).fakeLogger() }));

const { registerDeployment } = await import('../deployment/index.ts');
const { FakeUpdater, fakeLogger } = await import('../../testing/deployment-fakes.ts');
const { JsonSettingsStore } = await import('../settings-store.ts');
const { registerSettingsHandlers } = await import('./settings.ts');
const { registerSessionHandlers } = await import('./session.ts');
type SettingsHandlerDeps = import('./settings.ts').SettingsHandlerDeps;
type SessionHandlerDeps = import('./session.ts').SessionHandlerDeps;

const APP = 'app://bundle/index.html#/settings';
let root: string;

beforeEach(() => {
  resetElectronFake();
  root = mkdtempSync(path.join(os.tmpdir(), 'tray-notify-settings-'));
  mkdirSync(path.join(root, 'home'));
  mkdirSync(path.join(root, 'userData')); // Electron creates it before the app runs
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The main process's wiring (index.ts) around a machine configuration file. */
function setup(machineConfig: object) {
  const machineFile = path.join(root, 'config.json');
  writeFileSync(machineFile, JSON.stringify(machineConfig));
  const app = {
    isPackaged: true,
    getPath: vi.fn<App['getPath']>((name) => path.join(root, name)),
    setAppLogsPath: vi.fn<App['setAppLogsPath']>(),
    setLoginItemSettings: vi.fn<App['setLoginItemSettings']>(),
    whenReady: vi.fn<App['whenReady']>(async () => {}),
  } satisfies Pick<App, 'isPackaged' | 'getPath' | 'setAppLogsPath' | 'setLoginItemSettings' | 'whenReady'>;
  const deployment = registerDeployment({
    app,
    log: fakeLogger(),
    getUpdater: () => new FakeUpdater(),
    env: { TRAY_NOTIFY_CONFIG_FILE: machineFile, XDG_STATE_HOME: path.join(root, 'state') },
    argv: [],
    platform: 'linux',
    homedir: path.join(root, 'home'),
    execPath: '/opt/Tray Notify/tray-notify',
    setInterval: () => 0,
    clearInterval: () => {},
  });
  const store = new JsonSettingsStore(path.join(root, 'userData', 'settings.json'), () => deployment.info());
  // The session's getSettings/setSettings, on the same store.
  let settings = store.load();
  const session = {
    getSettings: vi.fn(() => settings),
    setSettings: vi.fn((p: Partial<LocalSettings>) => (settings = store.save(sanitizeSettings(p, settings)))),
  } satisfies SettingsHandlerDeps['session'];
  const live = { getPreferences: vi.fn(), setPreferences: vi.fn(), testSound: vi.fn() } satisfies SettingsHandlerDeps['live'];
  const managed = {
    deployment: () => deployment.info(),
    setServerUrl: vi.fn((url: string) => void deployment.setServerUrl(url)),
    setStartAtLogin: vi.fn((on: boolean) => void deployment.setStartAtLogin(on)),
  } satisfies SessionHandlerDeps['managed'];
  registerSettingsHandlers({ session, live, ...managed });
  return { deployment, store, session, managed, settings: () => settings };
}

const set = (partial: Partial<LocalSettings>) => invokeAs(APP, 'settings:set', partial) as Promise<LocalSettings>;
const autostartFile = () => path.join(root, 'home', '.config', 'autostart', 'tray-notify.desktop');
const userSettingsFile = () => path.join(root, 'userData', 'user-settings.json');

describe('settings:set with the deployment', () => {
  it('cannot change a server URL IT locked', async () => {
    const { managed, deployment } = setup({ serverUrl: 'https://it.example.com', serverUrlLocked: true });
    const saved = await set({ serverUrl: 'https://mine.example.com', volume: 0.2 });
    expect(saved).toMatchObject({ serverUrl: 'https://it.example.com', volume: 0.2 });
    expect(managed.setServerUrl).not.toHaveBeenCalled();
    expect(deployment.info().serverUrl).toBe('https://it.example.com');
    expect(await invokeAs(APP, 'settings:get')).toMatchObject({ serverUrl: 'https://it.example.com' });
    expect(existsSync(userSettingsFile())).toBe(false);
  });

  it('saves an unlocked server URL through deployment.setServerUrl, before the app applies it', async () => {
    const { managed, deployment, session, store } = setup({ serverUrl: 'https://it.example.com' });
    expect((await invokeAs(APP, 'settings:get')) as LocalSettings).toMatchObject({ serverUrl: 'https://it.example.com' });

    const saved = await set({ serverUrl: 'https://mine.example.com/' });
    expect(managed.setServerUrl).toHaveBeenCalledWith('https://mine.example.com/');
    expect(managed.setServerUrl.mock.invocationCallOrder[0]).toBeLessThan(session.setSettings.mock.invocationCallOrder[0]!);
    expect(saved.serverUrl).toBe('https://mine.example.com');
    expect(deployment.info().serverUrl).toBe('https://mine.example.com');
    expect(store.load().serverUrl).toBe('https://mine.example.com');

    // Saving another field with the same server does not save the server again.
    await set({ serverUrl: 'https://mine.example.com', volume: 0.4 });
    expect(managed.setServerUrl).toHaveBeenCalledTimes(1);
  });

  it('refuses a server URL the deployment rejects, and changes nothing', async () => {
    const { session, settings } = setup({});
    await expect(set({ serverUrl: 'https://mine.example.com/?token=1', volume: 0.1 })).rejects.toThrow(/not a valid URL|query/);
    expect(session.setSettings).not.toHaveBeenCalled();
    expect(settings().volume).not.toBe(0.1);
  });

  it('switches start at login through deployment.setStartAtLogin (the Linux autostart entry)', async () => {
    const { managed } = setup({});
    expect(existsSync(autostartFile())).toBe(true);
    expect(await set({ startAtLogin: false })).toMatchObject({ startAtLogin: false });
    expect(managed.setStartAtLogin).toHaveBeenCalledWith(false);
    expect(existsSync(autostartFile())).toBe(false);
    expect(await set({ startAtLogin: true })).toMatchObject({ startAtLogin: true });
    expect(existsSync(autostartFile())).toBe(true);
    await set({ startAtLogin: true, volume: 0.3 });
    expect(managed.setStartAtLogin).toHaveBeenCalledTimes(2);
  });

  it('keeps start at login as IT locked it', async () => {
    const { managed } = setup({ startAtLogin: true, startAtLoginLocked: true });
    expect(await set({ startAtLogin: false })).toMatchObject({ startAtLogin: true });
    expect(managed.setStartAtLogin).not.toHaveBeenCalled();
    expect(existsSync(autostartFile())).toBe(true);
  });
});

describe('session:login with the deployment', () => {
  function login(machineConfig: object, serverUrl: string) {
    const wiring = setup(machineConfig);
    const snapshot: Session = { serverUrl: '', me: null, restoring: false };
    const session = {
      snapshot,
      login: vi.fn(async () => snapshot),
      logout: vi.fn(),
      switchWorkspace: vi.fn(),
      getSettings: wiring.session.getSettings,
    } satisfies SessionHandlerDeps['session'];
    const live = { state: { connection: 'signed-out' as const, unread: { count: 0, by_workspace: {}, unseen: 0, unseen_by_workspace: {} } } } satisfies SessionHandlerDeps['live'];
    registerSessionHandlers({ session, live, managed: wiring.managed });
    const done = invokeAs(APP, 'session:login', { serverUrl, email: 'ann@acme.com', password: 'pw' });
    return { ...wiring, login: session.login, done };
  }

  it('saves a server URL entered at login through deployment.setServerUrl, before logging in', async () => {
    const { managed, deployment, login: sessionLogin, done } = login({}, 'https://mine.example.com');
    await done;
    expect(managed.setServerUrl).toHaveBeenCalledWith('https://mine.example.com');
    expect(managed.setServerUrl.mock.invocationCallOrder[0]).toBeLessThan(sessionLogin.mock.invocationCallOrder[0]!);
    expect(deployment.info().serverUrl).toBe('https://mine.example.com');
  });

  it('leaves a locked server URL alone', async () => {
    const { managed, done } = login({ serverUrl: 'https://it.example.com', serverUrlLocked: true }, 'https://mine.example.com');
    await done;
    expect(managed.setServerUrl).not.toHaveBeenCalled();
  });
});
