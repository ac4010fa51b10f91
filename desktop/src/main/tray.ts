import { Menu, Tray, app, nativeImage, type BrowserWindow, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { AppState, Session, WindowName } from '../shared/ipc.ts';
import { liveLabel } from '../shared/live-state.ts';
import { badgeLabel, EMPTY_UNREAD, unreadSummary } from '../shared/unread.ts';
import { renderOverlayIcon, renderTrayIcon, type Bitmap } from './badge-icon.ts';
import { encodePng } from './png.ts';

export interface TrayDeps {
  platform: NodeJS.Platform;
  openWindow: (name: WindowName) => void;
  /** Toggles the dropdown next to the tray icon. */
  toggleBell: (bounds: Electron.Rectangle) => void;
  markAllRead: () => void;
  quit: () => void;
  /** Windows that get the taskbar overlay on Windows. */
  openWindows: () => BrowserWindow[];
  /** The downloaded update's version, or null: the menu then offers "Restart to update". */
  updateReadyVersion: () => string | null;
  /** Quits and installs the downloaded update. */
  restartToUpdate: () => void;
  openLogsFolder: () => void;
}

export function toImage(b: Bitmap): NativeImage {
  return nativeImage.createFromBuffer(encodePng(b.width, b.height, b.rgba), { scaleFactor: 2 });
}

const CONNECTION_LABEL: Record<AppState['connection'], string> = {
  online: 'connected',
  connecting: 'connecting…',
  offline: 'offline, retrying',
  'signed-out': 'signed out',
};

/**
 * The tray icon and the OS badges: count drawn on the icon, macOS title, Windows taskbar
 * overlay, Linux/macOS app badge count; tooltip with the count per workspace and the connection.
 */
export class TrayController {
  private tray: Tray | null = null;
  private state: AppState = { connection: 'signed-out', unread: EMPTY_UNREAD };
  private session: Session | null = null;
  private lastIconKey = '';

  constructor(private readonly deps: TrayDeps) {}

  create(): void {
    this.tray = new Tray(toImage(renderTrayIcon({ count: 0, connected: false })));
    this.tray.on('click', (_e, bounds) => this.deps.toggleBell(bounds));
    this.render();
  }

  update(state: AppState): void {
    this.state = state;
    this.render();
  }

  setSession(session: Session): void {
    this.session = session;
    this.render();
  }

  /** Where the tray icon is, for the dropdown opened from elsewhere (a clicked toast); null before create(). */
  bounds(): Electron.Rectangle | null {
    return this.tray?.getBounds() ?? null;
  }

  /** Rebuilds the menu, e.g. once an update is ready to install. */
  refresh(): void {
    this.render();
  }

  private workspaceNames(): Record<string, string> {
    const names: Record<string, string> = {};
    for (const m of this.session?.me?.memberships ?? []) names[m.workspace_id] = m.workspace_name;
    return names;
  }

  tooltip(): string {
    if (!this.session?.me) return 'Notifications - signed out';
    return unreadSummary(this.state.unread, this.workspaceNames(), CONNECTION_LABEL[this.state.connection]);
  }

  menuTemplate(): MenuItemConstructorOptions[] {
    const signedIn = !!this.session?.me;
    const names = this.workspaceNames();
    const perWorkspace: MenuItemConstructorOptions[] = Object.entries(this.state.unread.by_workspace)
      .filter(([, n]) => n > 0)
      .map(([id, n]) => ({ label: `${names[id] ?? 'Workspace'}: ${n} unread`, enabled: false }));
    const items: MenuItemConstructorOptions[] = [
      { label: this.tooltip(), enabled: false },
      ...(signedIn ? [{ id: 'live-state', label: liveLabel(this.state), enabled: false }] : []),
      ...perWorkspace,
      { type: 'separator' },
    ];
    if (signedIn) {
      items.push(
        { label: 'Notifications', click: () => this.deps.openWindow('bell') },
        { label: 'Mark all as read', enabled: this.state.unread.count > 0, click: () => this.deps.markAllRead() },
        { label: 'Workspace activity', click: () => this.deps.openWindow('activity') },
      );
      if (this.session?.me?.is_super_admin) items.push({ label: 'Admin activity', click: () => this.deps.openWindow('admin') });
    } else {
      items.push({ label: 'Log in…', click: () => this.deps.openWindow('login') });
    }
    const update = this.deps.updateReadyVersion();
    items.push(
      ...(update ? [{ label: `Restart to update (${update})`, click: () => this.deps.restartToUpdate() }] : []),
      { label: 'Open logs folder', click: () => this.deps.openLogsFolder() },
      { label: 'Settings…', click: () => this.deps.openWindow('settings') },
      { type: 'separator' },
      { label: 'Quit', click: () => this.deps.quit() },
    );
    return items;
  }

  private render(): void {
    // The badge counts what the user has not seen yet; unread stays in the list until read.
    const count = this.session?.me ? this.state.unread.unseen : 0;
    const connected = this.state.connection === 'online';
    const key = `${badgeLabel(count)}|${connected}`;
    if (this.tray && key !== this.lastIconKey) {
      this.lastIconKey = key;
      this.tray.setImage(toImage(renderTrayIcon({ count, connected })));
    }
    if (this.tray) {
      this.tray.setToolTip(this.tooltip());
      if (this.deps.platform === 'darwin') this.tray.setTitle(badgeLabel(count));
      this.tray.setContextMenu(Menu.buildFromTemplate(this.menuTemplate()));
    }
    this.renderAppBadge(count);
  }

  private renderAppBadge(count: number): void {
    if (this.deps.platform === 'win32') {
      const overlay = renderOverlayIcon(count);
      for (const w of this.deps.openWindows()) {
        w.setOverlayIcon(overlay ? toImage(overlay) : null, overlay ? `${count} unread notifications` : '');
      }
      return;
    }
    // macOS dock / Linux launchers that support it (Unity, KDE); returns false elsewhere.
    app.setBadgeCount(count);
  }

  destroy(): void {
    this.tray?.destroy();
    this.tray = null;
  }
}
