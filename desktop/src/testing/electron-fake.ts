// A fake of the few Electron APIs the main process uses, each typed from the real `electron`
// typings (a signature change in Electron breaks these fakes at compile time).
// Use: vi.mock('electron', async () => (await import('./electron-fake.ts')).electronFake)
import { EventEmitter } from 'node:events';
import type * as Electron from 'electron';
import { vi } from 'vitest';

type E = typeof Electron;
type Listener = (...args: never[]) => unknown;

class Events {
  readonly handlers = new Map<string, Listener[]>();
  on(event: string, l: Listener) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), l]);
    return this;
  }
  once(event: string, l: Listener) {
    const wrapped = (...args: never[]) => {
      this.handlers.set(event, (this.handlers.get(event) ?? []).filter((x) => x !== wrapped));
      return l(...args);
    };
    return this.on(event, wrapped);
  }
  emit(event: string, ...args: unknown[]) {
    for (const l of [...(this.handlers.get(event) ?? [])]) (l as (...a: unknown[]) => unknown)(...args);
  }
}

export class FakeNativeImage {
  constructor(readonly png: Buffer) {}
}

export class FakeTray extends Events {
  static instances: FakeTray[] = [];
  setImage = vi.fn<(image: Electron.NativeImage | string) => void>();
  setToolTip = vi.fn<Electron.Tray['setToolTip']>();
  setTitle = vi.fn<(title: string) => void>();
  setContextMenu = vi.fn<Electron.Tray['setContextMenu']>();
  getBounds = vi.fn<Electron.Tray['getBounds']>(() => ({ x: 1800, y: 0, width: 24, height: 24 }));
  destroy = vi.fn<Electron.Tray['destroy']>();
  constructor(readonly image: unknown) {
    super();
    FakeTray.instances.push(this);
  }
}

export class FakeNotification extends Events {
  static instances: FakeNotification[] = [];
  static supported = true;
  static isSupported: E['Notification']['isSupported'] = () => FakeNotification.supported;
  show = vi.fn<Electron.Notification['show']>();
  /** Closed by the app (Electron's close() emits no 'close' event: that is for the user's own). */
  closed = false;
  close = vi.fn<Electron.Notification['close']>(() => void (this.closed = true));
  /** The OS put it on screen, as Electron reports it. */
  displayed() {
    this.emit('show', {});
  }
  /** The user pressed button `index` (Electron's 'action' event). */
  pressAction(index: number) {
    this.emit('action', { actionIndex: index, selectionIndex: -1 }, index, -1);
  }
  constructor(readonly options: Electron.NotificationConstructorOptions) {
    super();
    FakeNotification.instances.push(this);
  }
}

export class FakeWebContents extends Events {
  /** Set by the window's loadURL until the test calls finishLoad(). */
  loading = false;
  setWindowOpenHandler = vi.fn<Electron.WebContents['setWindowOpenHandler']>();
  send = vi.fn<Electron.WebContents['send']>();
  isDestroyed = vi.fn<Electron.WebContents['isDestroyed']>(() => false);
  isLoading = vi.fn<Electron.WebContents['isLoading']>(() => this.loading);
  /** The page finished loading, as Electron reports it. */
  finishLoad() {
    this.loading = false;
    this.emit('did-finish-load');
  }
  setAudioMuted = vi.fn<Electron.WebContents['setAudioMuted']>();
}

export class FakeBrowserWindow extends Events {
  static instances: FakeBrowserWindow[] = [];
  static getAllWindows = () => FakeBrowserWindow.instances.filter((w) => !w.destroyed) as unknown as Electron.BrowserWindow[];
  static fromWebContents = (wc: Electron.WebContents) =>
    (FakeBrowserWindow.instances.find((w) => (w.webContents as unknown) === wc) ?? null) as unknown as Electron.BrowserWindow | null;
  webContents = new FakeWebContents();
  destroyed = false;
  visible = false;
  loadURL = vi.fn<Electron.BrowserWindow['loadURL']>(async () => void (this.webContents.loading = true));
  show = vi.fn<Electron.BrowserWindow['show']>(() => void (this.visible = true));
  hide = vi.fn<Electron.BrowserWindow['hide']>(() => void (this.visible = false));
  focus = vi.fn<Electron.BrowserWindow['focus']>();
  close = vi.fn<Electron.BrowserWindow['close']>(() => {
    this.destroyed = true;
    this.emit('closed');
  });
  destroy = vi.fn<Electron.BrowserWindow['destroy']>(() => void (this.destroyed = true));
  isDestroyed = () => this.destroyed;
  isVisible = () => this.visible;
  setPosition = vi.fn<Electron.BrowserWindow['setPosition']>();
  setOverlayIcon = vi.fn<Electron.BrowserWindow['setOverlayIcon']>();
  constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
}

/** The module-level APIs the main process uses, each with its real Electron type. */
type FakeModule = {
  app: Pick<E['app'], 'setBadgeCount'>;
  powerMonitor: Pick<E['powerMonitor'], 'getSystemIdleTime'>;
  nativeImage: Pick<E['nativeImage'], 'createFromBuffer'>;
  Menu: Pick<E['Menu'], 'buildFromTemplate'>;
  screen: Pick<E['screen'], 'getDisplayNearestPoint'>;
  ipcMain: Pick<E['ipcMain'], 'handle'>;
  protocol: Pick<E['protocol'], 'registerSchemesAsPrivileged' | 'handle'>;
  Tray: unknown;
  Notification: Pick<E['Notification'], 'isSupported'>;
  BrowserWindow: Pick<E['BrowserWindow'], 'getAllWindows' | 'fromWebContents'>;
};

const ipcHandlers = new Map<string, (event: Electron.IpcMainInvokeEvent, ...args: unknown[]) => unknown>();

export const electronFake = {
  app: {
    setBadgeCount: vi.fn<E['app']['setBadgeCount']>(() => true),
  },
  powerMonitor: {
    /** Seconds since the last input on the machine; tests set it. */
    getSystemIdleTime: vi.fn<E['powerMonitor']['getSystemIdleTime']>(() => 0),
  },
  nativeImage: {
    createFromBuffer: vi.fn<E['nativeImage']['createFromBuffer']>((buffer) => new FakeNativeImage(buffer) as unknown as Electron.NativeImage),
  },
  Menu: {
    buildFromTemplate: vi.fn<E['Menu']['buildFromTemplate']>((template) => ({ template }) as unknown as Electron.Menu),
  },
  Tray: FakeTray,
  Notification: FakeNotification,
  BrowserWindow: FakeBrowserWindow,
  screen: {
    getDisplayNearestPoint: vi.fn<E['screen']['getDisplayNearestPoint']>(() => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }) as Electron.Display),
  },
  ipcMain: {
    handle: vi.fn<E['ipcMain']['handle']>((channel, listener) => void ipcHandlers.set(channel, listener)),
  },
  protocol: {
    registerSchemesAsPrivileged: vi.fn<E['protocol']['registerSchemesAsPrivileged']>(),
    handle: vi.fn<E['protocol']['handle']>(),
  },
} satisfies FakeModule;

/** Calls an ipcMain.handle handler as if `url` had sent it. */
export async function invokeAs(url: string | null, channel: string, req?: unknown): Promise<unknown> {
  const h = ipcHandlers.get(channel);
  if (!h) throw new Error(`no handler for ${channel}`);
  const sender = new EventEmitter();
  const event = { senderFrame: url === null ? null : { url }, sender } as unknown as Electron.IpcMainInvokeEvent;
  return h(event, req);
}

export function resetElectronFake(): void {
  FakeTray.instances = [];
  FakeNotification.instances = [];
  FakeNotification.supported = true;
  FakeBrowserWindow.instances = [];
  ipcHandlers.clear();
  vi.clearAllMocks();
}
