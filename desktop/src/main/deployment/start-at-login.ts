import fs from 'node:fs';
import path from 'node:path';
import type { App } from 'electron';

/** Name of the XDG autostart entry; matches the Linux executable and package name. */
export const AUTOSTART_FILE_NAME = 'tray-notify.desktop';

export interface StartAtLoginDeps {
  platform: NodeJS.Platform;
  app: Pick<App, 'setLoginItemSettings'>;
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
  /** process.execPath of the running app. */
  execPath: string;
  productName: string;
}

/**
 * `$XDG_CONFIG_HOME/autostart/tray-notify.desktop`. The XDG Base Directory
 * spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
 */
export function xdgAutostartFile(env: Readonly<Record<string, string | undefined>>, homedir: string): string {
  const configHome = env.XDG_CONFIG_HOME;
  const base = configHome !== undefined && path.isAbsolute(configHome) ? configHome : path.join(homedir, '.config');
  return path.join(base, 'autostart', AUTOSTART_FILE_NAME);
}

/** Quotes one Exec argument as the Desktop Entry spec requires, and escapes field codes (%). */
export function quoteExecArgument(arg: string): string {
  const escapedPercent = arg.replaceAll('%', '%%');
  if (!/[\s"'\\`$<>~|&;*?#()]/.test(escapedPercent)) return escapedPercent;
  return `"${escapedPercent.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function autostartDesktopEntry(productName: string, executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    `Name=${productName}`,
    'Comment=Workspace notifications and activity',
    `Exec=${quoteExecArgument(executable)}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * The program the login session should start. An AppImage runs from a
 * temporary mount whose path changes on every launch, so its entry must point
 * at the .AppImage file itself, which the AppImage runtime puts in $APPIMAGE.
 */
export function autostartExecutable(env: Readonly<Record<string, string | undefined>>, execPath: string): string {
  const appImage = env.APPIMAGE;
  return appImage !== undefined && appImage !== '' ? appImage : execPath;
}

/**
 * Registers or removes the app as a login item: Electron's login-item settings
 * on Windows (HKCU Run key) and macOS, an XDG autostart entry on Linux and other
 * freedesktop systems. Throws on file-system errors so the caller can report them.
 */
export function applyStartAtLogin(enabled: boolean, deps: StartAtLoginDeps): void {
  if (deps.platform === 'win32' || deps.platform === 'darwin') {
    deps.app.setLoginItemSettings({ openAtLogin: enabled });
    return;
  }
  const file = xdgAutostartFile(deps.env, deps.homedir);
  if (enabled) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, autostartDesktopEntry(deps.productName, autostartExecutable(deps.env, deps.execPath)));
  } else {
    try {
      fs.rmSync(file, { force: true });
    } catch (error) {
      // A file where the autostart folder should be: then no entry can exist either.
      if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
    }
  }
}
