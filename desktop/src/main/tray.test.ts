import { inflateSync } from 'node:zlib';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppState, Session } from '../shared/ipc.ts';
import { me } from '../testing/fixtures.ts';
import { electronFake, FakeBrowserWindow, FakeTray, resetElectronFake, type FakeNativeImage } from '../testing/electron-fake.ts';

vi.mock('electron', async () => (await import('../testing/electron-fake.ts')).electronFake);
const { TrayController } = await import('./tray.ts');
type TrayDeps = import('./tray.ts').TrayDeps;

const twoWorkspaces: Session = {
  serverUrl: 'http://localhost:3000',
  restoring: false,
  me: me({
    memberships: [
      { workspace_id: 'ws-acme', workspace_name: 'Acme Sales', role: 'admin' },
      { workspace_id: 'ws-globex', workspace_name: 'Globex Outbound', role: 'member' },
    ],
  }),
};
const online = (count: number, by: Record<string, number> = { 'ws-acme': count }): AppState => ({ connection: 'online', unread: { count, by_workspace: by, unseen: count, unseen_by_workspace: by } });

function setup(platform: NodeJS.Platform) {
  const update = { ready: null as string | null };
  const deps = {
    platform,
    openWindow: vi.fn(),
    toggleBell: vi.fn(),
    markAllRead: vi.fn(),
    quit: vi.fn(),
    openWindows: () => FakeBrowserWindow.instances as unknown as Electron.BrowserWindow[],
    updateReadyVersion: vi.fn<TrayDeps['updateReadyVersion']>(() => update.ready),
    restartToUpdate: vi.fn<TrayDeps['restartToUpdate']>(),
    openLogsFolder: vi.fn<TrayDeps['openLogsFolder']>(),
  } satisfies TrayDeps;
  const tray = new TrayController(deps);
  tray.create();
  return { tray, deps, update, fake: FakeTray.instances[0]! };
}

/** Decodes the PNG the tray got (8-bit RGBA, filter 0) to count pixels of a colour. */
function pixels(image: unknown): Uint8Array {
  const data = (image as FakeNativeImage).png;
  let off = 8;
  const idat: Buffer[] = [];
  let width = 0;
  while (off < data.length) {
    const len = data.readUInt32BE(off);
    const type = data.toString('ascii', off + 4, off + 8);
    if (type === 'IHDR') width = data.readUInt32BE(off + 8);
    if (type === 'IDAT') idat.push(data.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rows = raw.length / (width * 4 + 1);
  const out = new Uint8Array(width * rows * 4);
  for (let y = 0; y < rows; y++) out.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  return out;
}

const png = (image: unknown) => (image as FakeNativeImage).png;

const redPixels = (image: unknown) => {
  const p = pixels(image);
  let n = 0;
  for (let i = 0; i < p.length; i += 4) if (p[i] === 225 && p[i + 1] === 29) n++;
  return n;
};

describe('TrayController', () => {
  beforeEach(() => resetElectronFake());

  it('draws the unread count on the icon and changes it when the count changes', () => {
    const { tray, fake } = setup('linux');
    tray.setSession(twoWorkspaces);
    tray.update(online(3));
    const withThree = fake.setImage.mock.lastCall?.[0];
    expect(redPixels(withThree)).toBeGreaterThan(20);
    tray.update(online(0));
    const none = fake.setImage.mock.lastCall?.[0];
    expect(redPixels(none)).toBe(0);
    tray.update(online(42));
    expect(png(fake.setImage.mock.lastCall?.[0]).equals(png(withThree))).toBe(false);
  });

  it('shows a distinct icon when disconnected', () => {
    const { tray, fake } = setup('linux');
    tray.setSession(twoWorkspaces);
    tray.update(online(0));
    const on = png(fake.setImage.mock.lastCall?.[0]);
    tray.update({ connection: 'offline', unread: { count: 0, by_workspace: {}, unseen: 0, unseen_by_workspace: {} } });
    const off = png(fake.setImage.mock.lastCall?.[0]);
    expect(off.equals(on)).toBe(false);
    expect(fake.setToolTip).toHaveBeenLastCalledWith(expect.stringContaining('offline'));
  });

  it('puts the count per workspace and the connection in the tooltip', () => {
    const { tray, fake } = setup('linux');
    tray.setSession(twoWorkspaces);
    tray.update(online(5, { 'ws-acme': 3, 'ws-globex': 2 }));
    expect(fake.setToolTip).toHaveBeenLastCalledWith('5 unread (Acme Sales 3, Globex Outbound 2) - connected');
  });

  it('uses the tray title on macOS, app badge count on Linux, taskbar overlay on Windows', () => {
    const mac = setup('darwin');
    mac.tray.setSession(twoWorkspaces);
    mac.tray.update(online(7));
    expect(mac.fake.setTitle).toHaveBeenLastCalledWith('7');
    expect(electronFake.app.setBadgeCount).toHaveBeenLastCalledWith(7);

    resetElectronFake();
    const linux = setup('linux');
    linux.tray.setSession(twoWorkspaces);
    linux.tray.update(online(120));
    expect(electronFake.app.setBadgeCount).toHaveBeenLastCalledWith(120);
    expect(linux.fake.setTitle).not.toHaveBeenCalled();

    resetElectronFake();
    const win = new FakeBrowserWindow({});
    const windows = setup('win32');
    windows.tray.setSession(twoWorkspaces);
    windows.tray.update(online(4));
    expect(win.setOverlayIcon).toHaveBeenLastCalledWith(expect.anything(), '4 unread notifications');
    windows.tray.update(online(0));
    expect(win.setOverlayIcon).toHaveBeenLastCalledWith(null, '');
    expect(electronFake.app.setBadgeCount).not.toHaveBeenCalled();
  });

  it('offers the admin window in the menu to super admins only', () => {
    const { tray } = setup('linux');
    tray.setSession(twoWorkspaces);
    expect(tray.menuTemplate().map((i) => i.label)).not.toContain('Admin activity');
    tray.setSession({ ...twoWorkspaces, me: me({ is_super_admin: true, memberships: [] }) });
    expect(tray.menuTemplate().map((i) => i.label)).toContain('Admin activity');
    tray.setSession({ serverUrl: '', me: null, restoring: false });
    expect(tray.menuTemplate().map((i) => i.label)).toContain('Log in…');
  });

  it('offers "Restart to update (x.y.z)" only once an update is ready, and "Open logs folder" always', () => {
    const { tray, deps, update, fake } = setup('linux');
    /** The menu the tray icon shows now. */
    const shown = () => (fake.setContextMenu.mock.lastCall?.[0] as unknown as { template: Electron.MenuItemConstructorOptions[] }).template;
    const labels = () => shown().map((i) => i.label);
    const click = (label: string) => (shown().find((i) => i.label === label)?.click as () => void)();

    tray.setSession({ serverUrl: '', me: null, restoring: false });
    expect(labels()).toContain('Open logs folder');
    expect(labels().some((l) => l?.startsWith('Restart to update'))).toBe(false);
    tray.setSession(twoWorkspaces);
    expect(labels().some((l) => l?.startsWith('Restart to update'))).toBe(false);

    // The deployment downloaded 1.5.0 and calls refresh().
    update.ready = '1.5.0';
    tray.refresh();
    expect(labels().slice(-5)).toEqual(['Restart to update (1.5.0)', 'Open logs folder', 'Settings…', undefined, 'Quit']);
    click('Restart to update (1.5.0)');
    expect(deps.restartToUpdate).toHaveBeenCalledTimes(1);
    click('Open logs folder');
    expect(deps.openLogsFolder).toHaveBeenCalledTimes(1);

    tray.setSession({ serverUrl: '', me: null, restoring: false });
    expect(labels()).toEqual(expect.arrayContaining(['Restart to update (1.5.0)', 'Open logs folder', 'Log in…']));
  });

  it('toggles the dropdown next to the icon on click', () => {
    const { deps, fake } = setup('linux');
    const bounds = { x: 1800, y: 0, width: 24, height: 24 };
    fake.emit('click', {}, bounds);
    expect(deps.toggleBell).toHaveBeenCalledWith(bounds);
  });
});
