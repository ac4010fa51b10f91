// The unit tests replace electron-log and electron-updater with vi.mock; this one
// does not. It bundles the module the way the desktop app bundles its main process
// (esbuild, ESM, only `electron` external) and runs it in a child Node process
// against the real electron-log and electron-updater, with a stand-in for the one
// thing Node lacks: the `electron` module. It catches what mocks cannot: CommonJS
// interop of the bundled packages, electron-log really writing and redacting a file.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TOKEN = 'tn_live_9d1f0c6b2e';

const FAKE_ELECTRON = `
const calls = [];
const noop = () => {};
exports.calls = calls;
exports.app = {
  isPackaged: true,
  name: 'Tray Notify',
  getName: () => 'Tray Notify',
  getVersion: () => '0.1.0',
  getAppPath: () => __dirname,
  getPath: (name) => process.env.FAKE_PATHS_ROOT + '/' + name,
  setAppLogsPath: (p) => calls.push(['setAppLogsPath', p]),
  setLoginItemSettings: (s) => calls.push(['setLoginItemSettings', s]),
  whenReady: () => Promise.resolve(),
  isReady: () => true,
  on: noop,
  once: noop,
};
exports.shell = { openPath: async (p) => { calls.push(['openPath', p]); return ''; } };
exports.ipcMain = { on: noop, handle: noop, removeHandler: noop };
exports.BrowserWindow = { getAllWindows: () => [] };
exports.webContents = { getAllWebContents: () => [] };
`;

const RUNNER = `
import { readFileSync, writeFileSync } from 'node:fs';
import electron from 'electron';
import { registerDeployment } from './deployment.js';
const root = process.env.FAKE_PATHS_ROOT;
const deployment = registerDeployment({
  argv: ['/opt/Tray Notify/tray-notify', '--start-at-login=false'],
  env: { TRAY_NOTIFY_CONFIG_FILE: root + '/config.json', XDG_STATE_HOME: root + '/state', XDG_CONFIG_HOME: root + '/config' },
  platform: 'linux',
  homedir: root,
  execPath: '/opt/Tray Notify/tray-notify',
});
deployment.log.info('signed in', { token: '${TOKEN}', url: '/api/notifications/stream?ticket=${TOKEN}' });
await new Promise((resolve) => setTimeout(resolve, 50));
await deployment.openLogsFolder();
// stdout carries electron-log's console output, so the result goes to a file.
writeFileSync(root + '/result.json', JSON.stringify({
  info: deployment.info(),
  logFile: deployment.logFile,
  log: readFileSync(deployment.logFile, 'utf8'),
  calls: electron.calls,
}));
deployment.dispose();
`;

let work: string;
let result: { info: Record<string, unknown>; logFile: string; log: string; calls: [string, unknown][] };

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'tray-notify-bundle-'));
  mkdirSync(path.join(work, 'node_modules', 'electron'), { recursive: true });
  writeFileSync(path.join(work, 'node_modules', 'electron', 'index.js'), FAKE_ELECTRON);
  writeFileSync(path.join(work, 'config.json'), JSON.stringify({ serverUrl: 'https://notify.acme.com', autoUpdate: 'yes' }));
  // The same options as desktop/scripts/build-main.mjs on the desktop branch.
  await build({
    entryPoints: [path.join(HERE, 'index.ts')],
    outfile: path.join(work, 'deployment.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: ['electron'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'silent',
  });
  writeFileSync(path.join(work, 'run.mjs'), RUNNER);
  await promisify(execFile)(process.execPath, ['run.mjs'], { cwd: work, env: { ...process.env, FAKE_PATHS_ROOT: work }, timeout: 30_000 });
  result = JSON.parse(readFileSync(path.join(work, 'result.json'), 'utf8')) as typeof result;
}, 60_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('the bundled deployment module with the real electron-log and electron-updater', () => {
  it('resolves the configuration and reports the bad value', () => {
    expect(result.info).toEqual({
      serverUrl: 'https://notify.acme.com',
      serverUrlLocked: false,
      webAppBaseUrl: 'https://notify.acme.com',
      startAtLogin: false,
      startAtLoginLocked: true, // set by a flag for this run
      autoUpdate: false,
      problems: [`Machine configuration file ${path.join(work, 'config.json')}: "autoUpdate" must be true or false, not the string "yes"; ignored.`],
    });
  });

  it('writes the log file in the XDG state folder, with the configuration and without secrets', () => {
    expect(result.logFile).toBe(path.join(work, 'state', 'tray-notify', 'logs', 'main.log'));
    expect(result.log).toContain("serverUrl: 'https://notify.acme.com'");
    expect(result.log).toContain('Configuration problem: Machine configuration file');
    expect(result.log).toContain('Auto-update is off: no update feed URL is configured.');
    expect(result.log).toContain('signed in');
    expect(result.log).toContain('[redacted]');
    expect(result.log).not.toContain(TOKEN);
  });

  it('points Electron at the log folder and opens it', () => {
    const folder = path.join(work, 'state', 'tray-notify', 'logs');
    expect(result.calls).toEqual(expect.arrayContaining([['setAppLogsPath', folder], ['openPath', folder]]));
  });
});
