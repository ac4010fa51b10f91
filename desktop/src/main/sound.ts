import { BrowserWindow } from 'electron';
import type { SoundName } from '../shared/sounds.ts';
import { appPageUrl } from './app-url.ts';
import { send } from './ipc.ts';
import { hardenedWebPreferences, hardenWebContents, type GuardLog } from './security.ts';

/**
 * The main process has no audio output: sounds play in a hidden page of the app (#/sound),
 * created on first use and kept, so alerts are audible with every other window closed.
 */
export class SoundPlayer {
  private win: BrowserWindow | null = null;
  private ready = false;
  private queue: Array<{ sound: SoundName; volume: number }> = [];

  constructor(
    private readonly preloadPath: string,
    private readonly log: GuardLog,
  ) {}

  play(sound: SoundName, volume: number): void {
    const item = { sound, volume: Math.min(1, Math.max(0, volume)) };
    const win = this.ensureWindow();
    if (this.ready) send(win.webContents, 'sound:play', item);
    else this.queue = [...this.queue.slice(-2), item];
  }

  private ensureWindow(): BrowserWindow {
    if (this.win && !this.win.isDestroyed()) return this.win;
    this.ready = false;
    // The scanner reads only literal webPreferences; these come from hardenedWebPreferences
    // (contextIsolation, sandbox, Auxclick off), asserted in sound.test.ts.
    const win = new BrowserWindow({ // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
      show: false,
      width: 1,
      height: 1,
      skipTaskbar: true,
      webPreferences: hardenedWebPreferences(this.preloadPath, {
        backgroundThrottling: false,
        // Alerts play without a click in this hidden page (Electron's default, stated on purpose).
        autoplayPolicy: 'no-user-gesture-required',
      }),
    });
    hardenWebContents(win.webContents, this.log);
    win.webContents.setAudioMuted(false);
    win.webContents.once('did-finish-load', () => {
      this.ready = true;
      for (const q of this.queue) send(win.webContents, 'sound:play', q);
      this.queue = [];
    });
    win.on('closed', () => {
      this.win = null;
      this.ready = false;
    });
    void win.loadURL(appPageUrl('sound'));
    this.win = win;
    return win;
  }

  destroy(): void {
    this.win?.destroy();
    this.win = null;
  }
}
