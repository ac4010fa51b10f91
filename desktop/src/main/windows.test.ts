import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, resetElectronFake } from '../testing/electron-fake.ts';

vi.mock('electron', async () => (await import('../testing/electron-fake.ts')).electronFake);
const { WindowManager, bellPosition } = await import('./windows.ts');

function setup(user: { signedIn: boolean; superAdmin: boolean }) {
  const log = { warn: vi.fn() };
  const wm = new WindowManager({
    preloadPath: '/app/preload.cjs',
    platform: 'linux',
    isSignedIn: () => user.signedIn,
    isSuperAdmin: () => user.superAdmin,
    log,
  });
  return { wm, log };
}

describe('WindowManager', () => {
  beforeEach(() => resetElectronFake());

  it('opens every window with the security settings of the checklist and the app page', () => {
    const { wm } = setup({ signedIn: true, superAdmin: false });
    wm.open('activity');
    const w = FakeBrowserWindow.instances[0]!;
    expect(w.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      preload: '/app/preload.cjs',
    });
    expect(w.loadURL).toHaveBeenCalledWith('app://bundle/index.html#/activity');
    expect(w.webContents.setWindowOpenHandler).toHaveBeenCalled();
  });

  it('tells the tray about a new window (for the Windows taskbar overlay)', () => {
    const onOpened = vi.fn();
    const wm = new WindowManager({ preloadPath: '/p', platform: 'win32', isSignedIn: () => true, isSuperAdmin: () => false, log: { warn: vi.fn() }, onOpened });
    wm.open('activity');
    expect(onOpened).toHaveBeenCalledTimes(1);
  });

  it('keeps one window per page and focuses it again', () => {
    const { wm } = setup({ signedIn: true, superAdmin: false });
    wm.open('settings');
    wm.open('settings');
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(FakeBrowserWindow.instances[0]!.focus).toHaveBeenCalled();
  });

  it('refuses the admin window to anyone but a super admin', () => {
    const member = setup({ signedIn: true, superAdmin: false });
    expect(member.wm.open('admin')).toBeNull();
    expect(FakeBrowserWindow.instances).toHaveLength(0);
    expect(member.log.warn).toHaveBeenCalled();
    const admin = setup({ signedIn: true, superAdmin: true });
    expect(admin.wm.open('admin')).not.toBeNull();
  });

  it('sends signed-out users to the login window', () => {
    const { wm } = setup({ signedIn: false, superAdmin: false });
    wm.open('bell');
    expect(FakeBrowserWindow.instances[0]!.loadURL).toHaveBeenCalledWith('app://bundle/index.html#/login');
  });

  it('closes windows the user may no longer see after logout', () => {
    const user = { signedIn: true, superAdmin: true };
    const { wm } = setup(user);
    wm.open('admin');
    wm.open('settings');
    user.signedIn = false;
    user.superAdmin = false;
    wm.enforceAccess();
    expect(FakeBrowserWindow.instances[0]!.close).toHaveBeenCalled();
    expect(FakeBrowserWindow.instances[1]!.close).not.toHaveBeenCalled();
  });

  it('places the dropdown under a top-bar icon and above a bottom taskbar icon, on screen', () => {
    const work = { x: 0, y: 0, width: 1920, height: 1080 };
    expect(bellPosition({ x: 1900, y: 0, width: 20, height: 24 }, { ...work, y: 24, height: 1056 }, { width: 380, height: 520 })).toEqual({ x: 1536, y: 28 });
    expect(bellPosition({ x: 1700, y: 1050, width: 24, height: 30 }, { ...work, height: 1040 }, { width: 380, height: 520 })).toEqual({ x: 1522, y: 516 });
  });
});
