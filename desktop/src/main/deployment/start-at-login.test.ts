import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { App } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type StartAtLoginDeps,
  applyStartAtLogin,
  autostartDesktopEntry,
  quoteExecArgument,
  xdgAutostartFile,
} from './start-at-login.ts';

describe('xdgAutostartFile', () => {
  it('uses $XDG_CONFIG_HOME when it is absolute', () => {
    expect(xdgAutostartFile({ XDG_CONFIG_HOME: '/cfg' }, '/home/ann')).toBe('/cfg/autostart/tray-notify.desktop');
  });

  it.each([{}, { XDG_CONFIG_HOME: '' }, { XDG_CONFIG_HOME: 'relative/cfg' }])('falls back to ~/.config with %j', (env) => {
    expect(xdgAutostartFile(env, '/home/ann')).toBe('/home/ann/.config/autostart/tray-notify.desktop');
  });
});

describe('quoteExecArgument', () => {
  it.each([
    ['/usr/bin/tray-notify', '/usr/bin/tray-notify'],
    ['/opt/Tray Notify/tray-notify', '"/opt/Tray Notify/tray-notify"'],
    ['/home/ann/Apps/$weird"name`.AppImage', '"/home/ann/Apps/\\$weird\\"name\\`.AppImage"'],
    ['/home/ann/100%/app', '/home/ann/100%%/app'],
  ])('%s -> %s', (arg, quoted) => {
    expect(quoteExecArgument(arg)).toBe(quoted);
  });
});

describe('applyStartAtLogin', () => {
  let home: string;
  let setLoginItemSettings: ReturnType<typeof vi.fn<App['setLoginItemSettings']>>;

  function deps(overrides: Partial<StartAtLoginDeps> = {}): StartAtLoginDeps {
    return {
      platform: 'linux',
      app: { setLoginItemSettings },
      env: {},
      homedir: home,
      execPath: '/opt/Tray Notify/tray-notify',
      productName: 'Tray Notify',
      ...overrides,
    };
  }

  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'tray-notify-home-'));
    setLoginItemSettings = vi.fn<App['setLoginItemSettings']>();
  });
  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
  });

  it.each(['win32', 'darwin'] as const)('uses Electron login-item settings on %s and writes no file', (platform) => {
    applyStartAtLogin(true, deps({ platform }));
    applyStartAtLogin(false, deps({ platform }));
    expect(setLoginItemSettings.mock.calls).toEqual([[{ openAtLogin: true }], [{ openAtLogin: false }]]);
    expect(existsSync(path.join(home, '.config'))).toBe(false);
  });

  it('on Linux writes an XDG autostart entry that starts the installed executable', () => {
    applyStartAtLogin(true, deps());
    const file = path.join(home, '.config', 'autostart', 'tray-notify.desktop');
    expect(readFileSync(file, 'utf8')).toBe(autostartDesktopEntry('Tray Notify', '/opt/Tray Notify/tray-notify'));
    expect(readFileSync(file, 'utf8')).toContain('Exec="/opt/Tray Notify/tray-notify"\n');
    expect(setLoginItemSettings).not.toHaveBeenCalled();
  });

  it('on Linux respects XDG_CONFIG_HOME and points an AppImage entry at the .AppImage file', () => {
    const configHome = path.join(home, 'cfg');
    applyStartAtLogin(true, deps({ env: { XDG_CONFIG_HOME: configHome, APPIMAGE: '/home/ann/Apps/tray-notify-1.2.0-linux-x86_64.AppImage' }, execPath: '/tmp/.mount_trayXYZ/tray-notify' }));
    const entry = readFileSync(path.join(configHome, 'autostart', 'tray-notify.desktop'), 'utf8');
    expect(entry).toContain('Exec=/home/ann/Apps/tray-notify-1.2.0-linux-x86_64.AppImage\n');
    expect(entry).not.toContain('.mount_');
  });

  it('on Linux removes the entry when switched off, and switching off twice is fine', () => {
    const file = path.join(home, '.config', 'autostart', 'tray-notify.desktop');
    applyStartAtLogin(true, deps());
    expect(existsSync(file)).toBe(true);
    applyStartAtLogin(false, deps());
    expect(existsSync(file)).toBe(false);
    expect(() => applyStartAtLogin(false, deps())).not.toThrow();
  });

  it('on Linux throws when the autostart folder cannot be created, so the caller can report it', () => {
    mkdirSync(path.join(home, '.config'));
    writeFileSync(path.join(home, '.config', 'autostart'), 'a file where the folder should be');
    expect(() => applyStartAtLogin(true, deps())).toThrow(/EEXIST|ENOTDIR/);
    expect(() => applyStartAtLogin(false, deps())).not.toThrow(); // nothing to remove there
  });
});
