// Runs electron-builder for real with electron-builder.yml, up to an unpacked
// Linux app. The one thing these machines lack is the Electron binary, so a
// stand-in takes its place: a file carrying the fuse wire that @electron/fuses
// looks for. Everything else is the real pipeline: config loading, file
// selection, node_modules collection from the npm workspace, asar packing,
// update metadata and fuse flipping.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DESKTOP = path.join(ROOT, 'desktop');
const requireFromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
const builderCli = requireFromBuilder.resolve('electron-builder/cli.js');
const asar = createRequire(requireFromBuilder.resolve('app-builder-lib/package.json'))('@electron/asar') as {
  listPackage(archive: string, options: { isPack: boolean }): string[];
  extractFile(archive: string, filename: string): Buffer;
};

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Fuse order in Electron's fuse wire v1 (see @electron/fuses FuseV1Options).
const FUSES = ['RunAsNode', 'EnableCookieEncryption', 'EnableNodeOptionsEnvironmentVariable', 'EnableNodeCliInspectArguments',
  'EnableEmbeddedAsarIntegrityValidation', 'OnlyLoadAppFromAsar', 'LoadBrowserProcessSpecificV8Snapshot', 'GrantFileProtocolExtraPrivileges'];
const ELECTRON_DEFAULT_WIRE = '10110001'; // Electron's shipped defaults for those eight fuses

let work: string;
let appOut: string;
const createdStubs: string[] = [];

function fuseWire(binary: Buffer): Record<string, string> {
  const at = binary.indexOf(SENTINEL);
  expect(at, 'fuse sentinel not found').toBeGreaterThan(-1);
  const length = binary[at + SENTINEL.length + 1]!;
  const wire = binary.subarray(at + SENTINEL.length + 2, at + SENTINEL.length + 2 + length).toString('ascii');
  return Object.fromEntries(FUSES.map((name, i) => [name, wire[i] === '1' ? 'on' : 'off']));
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'tray-notify-package-'));
  const electronDist = path.join(work, 'electron');
  mkdirSync(path.join(electronDist, 'resources'), { recursive: true });
  const binary = path.join(electronDist, 'electron');
  writeFileSync(binary, Buffer.concat([Buffer.from('stand-in for the Electron binary\n'), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from(ELECTRON_DEFAULT_WIRE)]));
  chmodSync(binary, 0o755);
  writeFileSync(path.join(electronDist, 'version'), '45.5.0');

  // The real build output when there is one; otherwise a minimal one, removed afterwards.
  for (const [file, content] of [
    ['dist/main/index.js', 'export {};\n'],
    ['dist/main/index.js.map', '{}\n'],
    ['dist/web/index.html', '<!doctype html>\n'],
    ['dist/web/assets/browser-stub.js', 'export {};\n'],
  ] as const) {
    const target = path.join(DESKTOP, file);
    if (existsSync(target)) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    createdStubs.push(target);
  }

  const output = path.join(work, 'out');
  await promisify(execFile)(process.execPath, [
    builderCli, '--config', 'electron-builder.yml', '--publish', 'never', '--linux', 'dir',
    `-c.electronDist=${electronDist}`, `-c.directories.output=${output}`,
  ], { cwd: ROOT, env: { ...process.env, CI: 'true' }, timeout: 180_000 });
  appOut = path.join(output, 'linux-unpacked');
}, 200_000);

afterAll(() => {
  for (const file of createdStubs) rmSync(file, { force: true });
  for (const dir of ['dist/main', 'dist/web/assets', 'dist/web', 'dist']) {
    try {
      rmdirSync(path.join(DESKTOP, dir)); // only if now empty: never a real build's files
    } catch {
      // not empty or not there
    }
  }
  rmSync(work, { recursive: true, force: true });
});

describe('electron-builder --linux dir with electron-builder.yml', () => {
  it('names the executable tray-notify', () => {
    expect(existsSync(path.join(appOut, 'tray-notify'))).toBe(true);
  });

  it('flips the fuses in the executable', () => {
    expect(fuseWire(readFileSync(path.join(appOut, 'tray-notify')))).toEqual({
      RunAsNode: 'off',
      EnableCookieEncryption: 'on',
      EnableNodeOptionsEnvironmentVariable: 'off',
      EnableNodeCliInspectArguments: 'off',
      EnableEmbeddedAsarIntegrityValidation: 'on',
      OnlyLoadAppFromAsar: 'on',
      LoadBrowserProcessSpecificV8Snapshot: 'off', // left as Electron ships them
      GrantFileProtocolExtraPrivileges: 'on',
    });
  });

  it('packs the built app and its runtime dependencies into app.asar, and nothing else', () => {
    const files = asar.listPackage(path.join(appOut, 'resources', 'app.asar'), { isPack: false }).map((f) => f.replaceAll('\\', '/'));
    const pkg = JSON.parse(readFileSync(path.join(DESKTOP, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    expect(files).toEqual(expect.arrayContaining(['/package.json', '/dist/main/index.js', '/dist/web/index.html']));
    // Whatever the app declares it needs at run time is there (main may also bundle them) ...
    for (const name of Object.keys(pkg.dependencies ?? {})) expect(files).toContain(`/node_modules/${name}/package.json`);
    // ... and no build tool, test tool or Electron itself (some dev dependencies, such as
    // js-yaml, are also runtime dependencies of electron-updater, so not all of them).
    for (const name of ['electron', 'electron-builder', 'vite', 'vitest', 'typescript', 'tsx', '@playwright/test', '@resvg/resvg-js', 'png2icons']) {
      expect(files).not.toContain(`/node_modules/${name}/package.json`);
    }
    expect(files.filter((f) => f.endsWith('.map') && f.startsWith('/dist/'))).toEqual([]);
    expect(files.filter((f) => /^\/(src|build|e2e)\//.test(f))).toEqual([]);
    // The web app's adapter chunk (its own core and HTTP client) is for browsers only.
    expect(files.filter((f) => f.startsWith('/dist/web/assets/browser-'))).toEqual([]);
  });

  it('keeps productName in the packaged package.json, which Electron uses for the userData and logs folders', () => {
    const pkg = JSON.parse(asar.extractFile(path.join(appOut, 'resources', 'app.asar'), 'package.json').toString('utf8')) as { productName?: string; main: string };
    expect(pkg).toMatchObject({ productName: 'Tray Notify', main: 'dist/main/index.js' });
  });

  it('ships the configuration file\'s JSON Schema next to the app for IT', () => {
    expect(JSON.parse(readFileSync(path.join(appOut, 'resources', 'config.schema.json'), 'utf8'))).toMatchObject({ title: 'Tray Notify machine-wide configuration' });
  });

  it('ships the generic update metadata', () => {
    expect(readFileSync(path.join(appOut, 'resources', 'app-update.yml'), 'utf8')).toContain('provider: generic');
  });
});
