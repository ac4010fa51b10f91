import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as Electron from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS } from '../shared/ipc.ts';
import { electronFake, FakeBrowserWindow, FakeTray } from '../testing/electron-fake.ts';

type E = typeof Electron;
const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'userdata-'));
// The deployment reads no /etc/tray-notify/config.json and logs under the temporary folder.
vi.stubEnv('TRAY_NOTIFY_CONFIG_FILE', path.join(userData, 'no-config.json'));
vi.stubEnv('XDG_STATE_HOME', path.join(userData, 'state'));
const appEvents = new Map<string, (...args: unknown[]) => void>();

// The app-level APIs only index.ts uses, added to the shared fake for this wiring test.
vi.mock('electron', async () => {
  const { electronFake: base } = await import('../testing/electron-fake.ts');
  return {
    ...base,
    app: {
      ...base.app,
      requestSingleInstanceLock: vi.fn<E['app']['requestSingleInstanceLock']>(() => true),
      whenReady: vi.fn<E['app']['whenReady']>(() => Promise.resolve()),
      getPath: vi.fn<E['app']['getPath']>(() => userData),
      on: vi.fn((event: string, l: (...args: unknown[]) => void) => void appEvents.set(event, l)),
      quit: vi.fn<E['app']['quit']>(),
      isPackaged: false,
      setAppLogsPath: vi.fn<E['app']['setAppLogsPath']>(),
      setLoginItemSettings: vi.fn<E['app']['setLoginItemSettings']>(),
      setAppUserModelId: vi.fn<E['app']['setAppUserModelId']>(),
    },
    safeStorage: {
      isEncryptionAvailable: () => false,
      getSelectedStorageBackend: () => 'basic_text',
      encryptString: (s: string) => Buffer.from(s),
      decryptString: (b: Buffer) => b.toString(),
    } satisfies Pick<E['safeStorage'], 'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'>,
    session: { defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() } },
    net: { fetch: vi.fn(async () => Promise.reject(new TypeError('offline'))) },
    powerMonitor: { ...base.powerMonitor, on: vi.fn() },
    shell: {
      openExternal: vi.fn<E['shell']['openExternal']>(async () => undefined),
      openPath: vi.fn<E['shell']['openPath']>(async () => ''),
    },
  };
});
vi.mock('electron-updater', async () => {
  const { FakeUpdater } = await import('../testing/deployment-fakes.ts');
  return { default: { autoUpdater: new FakeUpdater() } };
});
vi.mock('electron-log/main', async () => ({ default: (await import('../testing/deployment-fakes.ts')).fakeLogger() }));

describe('main process wiring (index.ts)', () => {
  it('registers every IPC channel of the table, the app protocol and the tray, and opens the login window on first run', async () => {
    await import('./index.ts');
    await vi.waitFor(() => expect(FakeTray.instances).toHaveLength(1));

    const registered = vi.mocked(electronFake.ipcMain.handle).mock.calls.map((c) => c[0]);
    expect([...registered].sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(electronFake.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([expect.objectContaining({ scheme: 'app' })]);
    expect(electronFake.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(appEvents.has('web-contents-created')).toBe(true);
    expect(appEvents.has('second-instance')).toBe(true);
    // registerDeployment configured the logger the app logs through (redaction hook, log folder).
    const { appLogger } = await import('./log.ts');
    expect(appLogger.hooks).toHaveLength(1);
    expect(appLogger.transports.file.resolvePathFn({} as never)).toBe(path.join(userData, 'state', 'tray-notify', 'logs', 'main.log'));

    await vi.waitFor(() => expect(FakeBrowserWindow.instances.map((w) => w.loadURL.mock.calls[0]?.[0])).toContain('app://bundle/index.html#/login'));
    // A tray app: closing the last window does not quit.
    appEvents.get('window-all-closed')?.();
    expect(vi.mocked((await import('electron')).app.quit)).not.toHaveBeenCalled();
    fs.rmSync(userData, { recursive: true, force: true });
  });
});
