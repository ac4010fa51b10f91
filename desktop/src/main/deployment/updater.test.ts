import { describe, expect, it, vi } from 'vitest';
import { FakeUpdater } from '../../testing/deployment-fakes.ts';
import {
  type AutoUpdater,
  type InstallInfo,
  type UpdaterDeps,
  UPDATE_CHECK_INTERVAL_MS,
  hasPublisherName,
  registerAutoUpdater,
  updateSupport,
} from './updater.ts';

function setup(overrides: Partial<Omit<UpdaterDeps, 'getUpdater'>> & { updater?: FakeUpdater } = {}) {
  const updater = overrides.updater ?? new FakeUpdater();
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const timers: { callback: () => void; ms: number }[] = [];
  const deps: UpdaterDeps = {
    enabled: true,
    feedUrl: 'https://files.acme.com/tray-notify',
    support: { supported: true },
    log,
    onUpdateReady: vi.fn(),
    setInterval: (callback, ms) => timers.push({ callback, ms }),
    clearInterval: vi.fn(),
    ...overrides,
    getUpdater: vi.fn(() => updater),
  };
  const handle = registerAutoUpdater(deps);
  return { updater, log, timers, deps, handle, getUpdater: deps.getUpdater };
}

// What electron-builder writes into resources/app-update.yml for a code-signed Windows build.
const SIGNED_APP_UPDATE_YML = 'provider: generic\nurl: https://updates.invalid/tray-notify\nupdaterCacheDirName: tray-notify-updater\npublisherName:\n  - Acme Sales Inc.\n';

describe('updateSupport', () => {
  const NSIS_EXE = 'C:\\Program Files\\Tray Notify\\Tray Notify.exe';
  const install = (overrides: Partial<InstallInfo> = {}): InstallInfo => ({
    platform: 'win32',
    isPackaged: true,
    env: {},
    execPath: NSIS_EXE,
    productName: 'Tray Notify',
    fileExists: (file) => file === 'C:\\Program Files\\Tray Notify\\Uninstall Tray Notify.exe',
    resourcesPath: 'C:\\Program Files\\Tray Notify\\resources',
    readText: (file) => (file === 'C:\\Program Files\\Tray Notify\\resources\\app-update.yml' ? SIGNED_APP_UPDATE_YML : null),
    ...overrides,
  });

  it('refuses development builds', () => {
    expect(updateSupport(install({ isPackaged: false }))).toEqual({ supported: false, reason: 'this is a development build' });
  });

  it('updates an NSIS install on Windows, recognised by its uninstaller', () => {
    expect(updateSupport(install())).toEqual({ supported: true });
  });

  it('leaves an MSI install on Windows to the deployment tool', () => {
    expect(updateSupport(install({ fileExists: () => false }))).toEqual({
      supported: false,
      reason: 'it was not installed by the NSIS installer (an MSI install is updated by your deployment tool)',
    });
  });

  it('leaves deb and rpm installs to the package manager but updates AppImages', () => {
    expect(updateSupport(install({ platform: 'linux', execPath: '/opt/Tray Notify/tray-notify' })).supported).toBe(false);
    expect(updateSupport(install({ platform: 'linux', env: { APPIMAGE: '/home/ann/tray-notify.AppImage' } }))).toEqual({ supported: true });
  });

  it('does not update an unsigned Windows build: nothing could verify the update', () => {
    const unsigned = 'provider: generic\nurl: https://updates.invalid/tray-notify\nupdaterCacheDirName: tray-notify-updater\n';
    const reason = "this build is not code-signed, so an update's signature could not be verified";
    expect(updateSupport(install({ readText: () => unsigned }))).toEqual({ supported: false, reason });
    expect(updateSupport(install({ readText: () => null }))).toEqual({ supported: false, reason });
    expect(updateSupport(install({ readText: () => 'publisherName: null\n' }))).toEqual({ supported: false, reason });
  });

  it('reads the signer from app-update.yml however it is written', () => {
    expect(hasPublisherName(SIGNED_APP_UPDATE_YML)).toBe(true);
    expect(hasPublisherName('publisherName: Acme Sales Inc.\n')).toBe(true);
    expect(hasPublisherName("publisherName:\n  - 'CN=Acme Sales Inc., O=Acme'\n  - Acme Old Cert\n")).toBe(true);
    expect(hasPublisherName('publisherName: []\n')).toBe(false);
    expect(hasPublisherName('publisherName:\nprovider: generic\n')).toBe(false);
    expect(hasPublisherName('# publisherName: Acme\n')).toBe(false);
  });

  it('updates packaged builds on macOS', () => {
    expect(updateSupport(install({ platform: 'darwin', execPath: '/Applications/Tray Notify.app/Contents/MacOS/Tray Notify' }))).toEqual({ supported: true });
  });
});

describe('registerAutoUpdater', () => {
  it('uses the generic provider with the configured feed, downloads in the background and checks at start', () => {
    const { updater } = setup();
    expect(updater.setFeedURL).toHaveBeenCalledWith({ provider: 'generic', url: 'https://files.acme.com/tray-notify' });
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1);
  });

  it('checks again every four hours', () => {
    const { updater, timers } = setup();
    expect(timers.map((t) => t.ms)).toEqual([UPDATE_CHECK_INTERVAL_MS]);
    expect(UPDATE_CHECK_INTERVAL_MS).toBe(4 * 3_600_000);
    timers[0]?.callback();
    timers[0]?.callback();
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(3);
  });

  it.each([
    [{ enabled: false }, 'Auto-update is off: turned off by configuration.'],
    [{ feedUrl: null }, 'Auto-update is off: no update feed URL is configured.'],
    [{ support: { supported: false as const, reason: 'this is a development build' } }, 'Auto-update is off: this is a development build.'],
  ])('does nothing with %j and says why in the log', (overrides, message) => {
    const { updater, timers, log, handle, getUpdater } = setup(overrides);
    expect(getUpdater).not.toHaveBeenCalled(); // electron-updater is not even instantiated
    expect(updater.setFeedURL).not.toHaveBeenCalled();
    expect(updater.checkForUpdates).not.toHaveBeenCalled();
    expect(timers).toEqual([]);
    expect(log.info).toHaveBeenCalledWith(message);
    expect(handle.restartToUpdate()).toBe(false);
  });

  it('offers the downloaded version and installs it on "Restart to update"', () => {
    const { updater, deps, handle } = setup();
    expect(handle.readyVersion()).toBeNull();
    expect(handle.restartToUpdate()).toBe(false);
    expect(updater.quitAndInstall).not.toHaveBeenCalled();

    updater.downloaded('1.4.0');
    expect(deps.onUpdateReady).toHaveBeenCalledWith('1.4.0');
    expect(handle.readyVersion()).toBe('1.4.0');
    expect(handle.restartToUpdate()).toBe(true);
    expect(updater.quitAndInstall).toHaveBeenCalledWith(true, true);
  });

  it('logs a failed check as a warning instead of crashing, from the event and from the promise', async () => {
    const { updater, log } = setup({
      updater: Object.assign(new FakeUpdater(), {
        checkForUpdates: vi.fn<AutoUpdater['checkForUpdates']>(async () => {
          throw new Error('net::ERR_NAME_NOT_RESOLVED');
        }),
      }),
    });
    updater.events.emit('error', new Error('HttpError: 404'));
    await vi.waitFor(() => expect(log.warn).toHaveBeenCalledTimes(2));
    expect(log.warn.mock.calls).toEqual([
      ['Update check failed: HttpError: 404'],
      ['Update check failed: net::ERR_NAME_NOT_RESOLVED'],
    ]);
  });

  it('stops the periodic check on dispose', () => {
    const { deps, handle } = setup({ setInterval: () => 'timer-1' });
    handle.dispose();
    expect(deps.clearInterval).toHaveBeenCalledWith('timer-1');
  });
});
