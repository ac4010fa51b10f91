import { beforeEach, describe, expect, it, vi } from 'vitest';
import { notification } from '../testing/fixtures.ts';
import { FakeBrowserWindow, FakeNotification, FakeTray, resetElectronFake } from '../testing/electron-fake.ts';
import type { NotificationFocus } from '../shared/ipc.ts';

vi.mock('electron', async () => (await import('../testing/electron-fake.ts')).electronFake);
const { Notifier } = await import('./notifier.ts');
const { WindowManager } = await import('./windows.ts');
const { TrayController } = await import('./tray.ts');

function setup(platform: NodeJS.Platform, opened: NotificationFocus | null = null) {
  const deps = {
    platform,
    openNotification: vi.fn(async (_id: string) => opened),
    toastAction: vi.fn(async (_id: string, _action: string) => null as NotificationFocus | null),
    showInBell: vi.fn<(focus: NotificationFocus) => void>(),
    openBell: vi.fn(),
    log: { warn: vi.fn() },
  };
  return { notifier: new Notifier(deps), deps };
}

/** The notifier wired to the real window manager and tray, as index.ts wires them. */
function wired(opened: NotificationFocus | null) {
  const log = { warn: vi.fn() };
  const windows = new WindowManager({ preloadPath: '/app/preload.cjs', platform: 'linux', isSignedIn: () => true, isSuperAdmin: () => false, log });
  const tray = new TrayController({
    platform: 'linux',
    openWindow: vi.fn(),
    toggleBell: vi.fn(),
    markAllRead: vi.fn(),
    quit: vi.fn(),
    openWindows: () => [],
    updateReadyVersion: () => null,
    restartToUpdate: vi.fn(),
    openLogsFolder: vi.fn(),
  });
  tray.create();
  const openNotification = vi.fn(async (_id: string) => opened);
  const notifier = new Notifier({ platform: 'linux', openNotification, toastAction: async () => null, showInBell: (focus) => windows.showNotification(focus, tray.bounds()), openBell: () => windows.open('bell'), log });
  return { notifier, openNotification, windows };
}

describe('Notifier', () => {
  beforeEach(() => resetElectronFake());

  it('shows title, body and workspace, silently (the app plays its own sounds)', () => {
    const { notifier } = setup('linux');
    notifier.show({ kind: 'single', notification: notification({ title: 'Job failed', body: 'Import stopped' }), sound: 'alert' }, () => 'Acme Sales');
    const n = FakeNotification.instances[0]!;
    expect(n.options).toMatchObject({ title: 'Job failed', body: 'Acme Sales · Import stopped', silent: true });
    expect(n.show).toHaveBeenCalled();
  });

  it('uses the subtitle for the workspace on macOS', () => {
    const { notifier } = setup('darwin');
    notifier.show({ kind: 'single', notification: notification({ title: 'T', body: 'B' }), sound: null }, () => 'Globex Outbound');
    expect(FakeNotification.instances[0]!.options).toMatchObject({ title: 'T', body: 'B', subtitle: 'Globex Outbound' });
  });

  it('click on a notification opens it (mark read + target); click on a summary opens the list', async () => {
    const { notifier, deps } = setup('win32');
    const n = notification();
    notifier.show({ kind: 'single', notification: n, sound: null }, () => '');
    notifier.show({ kind: 'summary', title: '12 new while you were away', body: '12 Task assigned', count: 12, ids: [], sound: null }, () => '');
    expect(notifier.pending).toBe(2);
    FakeNotification.instances[0]!.emit('click');
    expect(deps.openNotification).toHaveBeenCalledWith(n.id);
    FakeNotification.instances[1]!.emit('click');
    expect(deps.openBell).toHaveBeenCalled();
    expect(notifier.pending).toBe(0);
    // Its link landed: nothing more to show.
    await vi.waitFor(() => expect(deps.openNotification).toHaveReturned());
    expect(deps.showInBell).not.toHaveBeenCalled();
  });

  it('click on a notification without a link to land on shows the bell next to the tray, and tells its page which one once loaded', async () => {
    const { notifier, openNotification } = wired({ id: 'n-42', detail: true });
    notifier.show({ kind: 'single', notification: notification({ id: 'n-42' }), sound: null }, () => '');
    FakeNotification.instances[0]!.emit('click');
    expect(openNotification).toHaveBeenCalledWith('n-42');
    await vi.waitFor(() => expect(FakeBrowserWindow.instances).toHaveLength(1));
    const bell = FakeBrowserWindow.instances[0]!;
    expect(bell.loadURL).toHaveBeenCalledWith('app://bundle/index.html#/bell');
    expect(bell.setPosition).toHaveBeenCalled();
    expect(FakeTray.instances[0]!.getBounds).toHaveBeenCalled();
    // The page is still loading: the event waits for it, else the page would miss it.
    expect(bell.webContents.send).not.toHaveBeenCalled();
    bell.emit('ready-to-show');
    bell.webContents.finishLoad();
    expect(bell.visible).toBe(true);
    expect(bell.webContents.send).toHaveBeenCalledWith('notification:focus', { id: 'n-42', detail: true });
  });

  it('a second toast clicked while the bell is open reaches its page at once, in the same window', async () => {
    const { notifier, windows } = wired({ id: 'n-7', detail: false });
    windows.open('bell');
    const bell = FakeBrowserWindow.instances[0]!;
    bell.webContents.finishLoad();
    bell.hide(); // the dropdown hides when it loses focus
    notifier.show({ kind: 'single', notification: notification({ id: 'n-7' }), sound: null }, () => '');
    FakeNotification.instances[0]!.emit('click');
    await vi.waitFor(() => expect(bell.webContents.send).toHaveBeenCalledWith('notification:focus', { id: 'n-7', detail: false }));
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(bell.visible).toBe(true);
    expect(bell.focus).toHaveBeenCalled();
  });

  it('logs instead of failing where notifications are unsupported', () => {
    FakeNotification.supported = false;
    const { notifier, deps } = setup('linux');
    notifier.show({ kind: 'single', notification: notification(), sound: null }, () => '');
    expect(FakeNotification.instances).toHaveLength(0);
    expect(deps.log.warn).toHaveBeenCalled();
  });
});
