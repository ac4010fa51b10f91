import { BrowserWindow, screen, type Rectangle } from 'electron';
import type { NotificationFocus, WindowName } from '../shared/ipc.ts';
import { appPageUrl } from './app-url.ts';
import { send } from './ipc.ts';
import { hardenedWebPreferences, hardenWebContents, type GuardLog } from './security.ts';

export interface WindowDeps {
  preloadPath: string;
  platform: NodeJS.Platform;
  /** Admin activity is for super admins only. */
  isSuperAdmin: () => boolean;
  isSignedIn: () => boolean;
  log: GuardLog;
  /** A window was created (the tray puts its Windows taskbar overlay on it). */
  onOpened?: () => void;
}

const SIZES: Record<WindowName, { width: number; height: number; title: string }> = {
  bell: { width: 380, height: 520, title: 'Notifications' },
  activity: { width: 720, height: 640, title: 'Workspace activity' },
  admin: { width: 1000, height: 720, title: 'Admin activity' },
  settings: { width: 560, height: 680, title: 'Settings' },
  login: { width: 420, height: 520, title: 'Log in' },
};

/** Where the dropdown goes: under the tray icon (top bar) or above it (bottom taskbar), on screen. */
export function bellPosition(tray: Rectangle, work: Rectangle, size: { width: number; height: number }): { x: number; y: number } {
  let x = Math.round(tray.x + tray.width / 2 - size.width / 2);
  const below = tray.y < work.y + work.height / 2;
  let y = below ? tray.y + tray.height + 4 : tray.y - size.height - 4;
  x = Math.min(Math.max(x, work.x + 4), work.x + work.width - size.width - 4);
  y = Math.min(Math.max(y, work.y + 4), work.y + work.height - size.height - 4);
  return { x, y };
}

export class WindowManager {
  private readonly windows = new Map<WindowName, BrowserWindow>();

  constructor(private readonly deps: WindowDeps) {}

  /** Which page a request may open: others are refused, signed-out users get the login window. */
  resolve(name: WindowName): WindowName | null {
    if (name === 'settings' || name === 'login') return name;
    if (!this.deps.isSignedIn()) return 'login';
    if (name === 'admin' && !this.deps.isSuperAdmin()) {
      this.deps.log.warn('refused admin window to a user who is not a super admin');
      return null;
    }
    return name;
  }

  open(requested: WindowName, query = ''): BrowserWindow | null {
    const name = this.resolve(requested);
    if (!name) return null;
    const hash = query ? `${name}?${query}` : name;
    const existing = this.windows.get(name);
    if (existing && !existing.isDestroyed()) {
      if (query) void existing.loadURL(appPageUrl(hash));
      existing.show();
      existing.focus();
      return existing;
    }
    const size = SIZES[name];
    const isBell = name === 'bell';
    // The scanner reads only literal webPreferences; these come from hardenedWebPreferences
    // (contextIsolation, sandbox, Auxclick off), asserted in windows.test.ts.
    const win = new BrowserWindow({ // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
      width: size.width,
      height: size.height,
      title: size.title,
      show: false,
      frame: !isBell,
      resizable: !isBell,
      skipTaskbar: isBell,
      alwaysOnTop: isBell,
      fullscreenable: false,
      autoHideMenuBar: true,
      webPreferences: hardenedWebPreferences(this.deps.preloadPath, { spellcheck: false }),
    });
    hardenWebContents(win.webContents, this.deps.log);
    if (isBell) win.on('blur', () => win.hide());
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => this.windows.delete(name));
    this.windows.set(name, win);
    void win.loadURL(appPageUrl(hash));
    this.deps.onOpened?.();
    return win;
  }

  /** The tray dropdown: toggled by the tray icon, placed next to it. */
  toggleBell(trayBounds: Rectangle): void {
    const current = this.windows.get('bell');
    if (current && !current.isDestroyed() && current.isVisible()) {
      current.hide();
      return;
    }
    this.showBell(trayBounds);
  }

  /**
   * The dropdown on one notification (its toast was clicked): the page scrolls to it and
   * highlights it. A window still loading gets the event once its page is there (the page
   * subscribes before it finishes loading).
   */
  showNotification(focus: NotificationFocus, trayBounds: Rectangle | null): void {
    const win = this.showBell(trayBounds);
    if (!win) return;
    const deliver = () => send(win.webContents, 'notification:focus', focus);
    if (win.webContents.isLoading()) win.webContents.once('did-finish-load', deliver);
    else deliver();
  }

  /** Shows the dropdown, next to the tray icon when its place is known; null when signed out (the login window opens). */
  private showBell(trayBounds: Rectangle | null): BrowserWindow | null {
    const win = this.open('bell');
    if (!win || this.resolve('bell') !== 'bell') return null;
    if (trayBounds) {
      const display = screen.getDisplayNearestPoint({ x: trayBounds.x, y: trayBounds.y });
      const { x, y } = bellPosition(trayBounds, display.workArea, SIZES.bell);
      win.setPosition(x, y, false);
    }
    return win;
  }

  close(name: WindowName): void {
    const w = this.windows.get(name);
    if (w && !w.isDestroyed()) w.close();
  }

  /** After logout, or when the user stops being a super admin: close what they may no longer see. */
  enforceAccess(): void {
    for (const name of [...this.windows.keys()]) {
      if (this.resolve(name) !== name) this.close(name);
    }
  }

  all(): BrowserWindow[] {
    return [...this.windows.values()].filter((w) => !w.isDestroyed());
  }
}
