import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDeploymentConfig, machineConfigPath, readOptionalFile, userSettingsPath } from './load-config.ts';

function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

describe('machineConfigPath', () => {
  it.each([
    ['win32', { ProgramData: 'D:\\ProgramData' }, 'D:\\ProgramData\\TrayNotify\\config.json'],
    ['win32', {}, 'C:\\ProgramData\\TrayNotify\\config.json'],
    ['darwin', {}, '/Library/Application Support/TrayNotify/config.json'],
    ['linux', {}, '/etc/tray-notify/config.json'],
    ['freebsd', {}, '/etc/tray-notify/config.json'],
  ] as const)('on %s with %j is %s', (platform, env, expected) => {
    expect(machineConfigPath(platform, env)).toBe(expected);
  });

  it('TRAY_NOTIFY_CONFIG_FILE overrides it on every OS', () => {
    expect(machineConfigPath('win32', { TRAY_NOTIFY_CONFIG_FILE: 'C:\\test\\c.json' })).toBe('C:\\test\\c.json');
    expect(machineConfigPath('linux', { TRAY_NOTIFY_CONFIG_FILE: '/tmp/c.json' })).toBe('/tmp/c.json');
  });
});

describe('readOptionalFile', () => {
  it('treats a missing file as nothing configured', () => {
    expect(readOptionalFile('/x/config.json', () => { throw errnoError('ENOENT'); }, 'Machine configuration file')).toEqual({});
  });

  it.each([
    ['EACCES', 'Machine configuration file /x/config.json cannot be read (permission denied); it must be readable by every user. It is ignored.'],
    ['EISDIR', 'Machine configuration file /x/config.json is a folder, not a file; it is ignored.'],
    ['EIO', 'Machine configuration file /x/config.json cannot be read (EIO: EIO: simulated); it is ignored.'],
  ])('reports %s clearly', (code, problem) => {
    expect(readOptionalFile('/x/config.json', () => { throw errnoError(code); }, 'Machine configuration file')).toEqual({ problem });
  });
});

describe('loadDeploymentConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tray-notify-config-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const read = (file: string) => readFileSync(file, 'utf8');

  it('reads the machine file named by TRAY_NOTIFY_CONFIG_FILE, the user file, the environment and the flags', () => {
    const machineFile = path.join(dir, 'machine.json');
    writeFileSync(machineFile, JSON.stringify({ serverUrl: 'https://it.example.com', serverUrlLocked: true, updateFeedUrl: 'https://file.example.com', startAtLogin: false }));
    const userData = path.join(dir, 'userData');
    mkdirSync(userData);
    writeFileSync(userSettingsPath(userData), JSON.stringify({ serverUrl: 'https://mine.example.com', startAtLogin: true }));

    const config = loadDeploymentConfig({
      argv: ['/usr/bin/tray-notify', '--update-feed-url=https://flag.example.com'],
      env: { TRAY_NOTIFY_CONFIG_FILE: machineFile, TRAY_NOTIFY_WEB_APP_BASE_URL: 'https://web.example.com' },
      platform: 'linux',
      userDataDir: userData,
      readText: read,
    });

    expect(config).toMatchObject({
      machineConfigPath: machineFile,
      serverUrl: 'https://it.example.com', // locked by IT, the user's choice loses
      serverUrlLocked: true,
      webAppBaseUrl: 'https://web.example.com',
      startAtLogin: true, // not locked, the user's choice wins
      autoUpdate: true,
      updateFeedUrl: 'https://flag.example.com',
      problems: [],
    });
  });

  it('runs with defaults when neither file exists', () => {
    const config = loadDeploymentConfig({
      argv: [],
      env: { TRAY_NOTIFY_CONFIG_FILE: path.join(dir, 'absent.json') },
      platform: 'linux',
      userDataDir: path.join(dir, 'no-user-data'),
      readText: read,
    });
    expect(config).toMatchObject({ serverUrl: null, startAtLogin: true, autoUpdate: false, problems: [] });
  });

  it('reports a broken machine file and a broken user file, and still resolves', () => {
    const machineFile = path.join(dir, 'machine.json');
    writeFileSync(machineFile, '{ serverUrl: https://it.example.com }');
    writeFileSync(userSettingsPath(dir), '{"startAtLogin": "no"}');
    const config = loadDeploymentConfig({
      argv: [],
      env: { TRAY_NOTIFY_CONFIG_FILE: machineFile },
      platform: 'linux',
      userDataDir: dir,
      readText: read,
    });
    expect(config.serverUrl).toBeNull();
    expect(config.startAtLogin).toBe(true);
    expect(config.problems).toHaveLength(2);
    expect(config.problems[0]).toContain(`Machine configuration file ${machineFile} is not valid JSON`);
    expect(config.problems[1]).toBe(`Your settings file ${userSettingsPath(dir)}: "startAtLogin" must be true or false, not the string "no"; ignored.`);
  });

  it('reports an unreadable machine file instead of crashing', () => {
    const config = loadDeploymentConfig({
      argv: [],
      env: {},
      platform: 'linux',
      userDataDir: dir,
      readText: (file) => {
        if (file === '/etc/tray-notify/config.json') throw errnoError('EACCES');
        throw errnoError('ENOENT');
      },
    });
    expect(config.problems).toEqual([
      'Machine configuration file /etc/tray-notify/config.json cannot be read (permission denied); it must be readable by every user. It is ignored.',
    ]);
  });
});
