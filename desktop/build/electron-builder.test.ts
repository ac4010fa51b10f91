// Checks electron-builder.yml without packaging (which needs the Electron binary):
// it loads and validates the file with electron-builder's own code and schema,
// then checks the targets and settings the IT deployment issue asks for.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CONFIG_FILE = path.join(ROOT, 'electron-builder.yml');

// app-builder-lib exactly as electron-builder resolves it, so the schema is the one the build uses.
const requireFromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
const schema = requireFromBuilder('app-builder-lib/scheme.json') as object;
const builderConfig = requireFromBuilder('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: object | null): Promise<Config>;
  validateConfiguration(config: Config, debugLogger: { isEnabled: boolean; add(): void }): Promise<void>;
};

interface TargetEntry { target: string; arch?: string[] }
type Config = Record<string, any>; // the shape is what this test checks

const config = yaml.load(readFileSync(CONFIG_FILE, 'utf8')) as Config;
const strictValidate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function targets(platform: 'win' | 'mac' | 'linux'): TargetEntry[] {
  return (config[platform].target as (string | TargetEntry)[]).map((t) => (typeof t === 'string' ? { target: t } : t));
}

describe('electron-builder.yml', () => {
  it('loads and passes electron-builder\'s own validation', async () => {
    const loaded = await builderConfig.getConfig(ROOT, CONFIG_FILE, null);
    await expect(builderConfig.validateConfiguration(loaded, { isEnabled: false, add() {} })).resolves.toBeUndefined();
    expect(loaded.appId).toBe('com.traynotify.desktop');
  });

  it('matches app-builder-lib\'s scheme.json without type coercion', () => {
    expect(strictValidate(config), JSON.stringify(strictValidate.errors, null, 2)).toBe(true);
  });

  it('the schema check catches a misspelt option (so the checks above can fail)', async () => {
    const broken = { ...config, nsis: { ...config.nsis, perMachin: true } };
    expect(strictValidate(broken)).toBe(false);
    await expect(builderConfig.validateConfiguration(broken, { isEnabled: false, add() {} })).rejects.toThrow(/Invalid configuration object[\s\S]*configuration\.nsis/);
  });

  it('names the app: "Tray Notify" on Windows and macOS, a tray-notify command on Linux', () => {
    expect(config).toMatchObject({ appId: 'com.traynotify.desktop', productName: 'Tray Notify' });
    // At the top level it would also rename the macOS bundle and the Windows install folder.
    expect(config.executableName).toBeUndefined();
    expect(config.win.executableName).toBeUndefined();
    expect(config.mac.executableName).toBeUndefined();
    expect(config.linux.executableName).toBe('tray-notify');
  });

  it.each([
    ['win', 'nsis', ['x64']],
    ['win', 'msi', ['x64']],
    ['mac', 'dmg', ['universal']],
    ['mac', 'zip', ['universal']],
    ['linux', 'AppImage', ['x64']],
    ['linux', 'deb', ['x64']],
    ['linux', 'rpm', ['x64']],
  ] as const)('builds %s %s for %j', (platform, target, arch) => {
    expect(targets(platform)).toContainEqual({ target, arch });
  });

  it('offers a per-machine install in NSIS and installs the MSI per machine', () => {
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: true });
    expect(config.msi).toMatchObject({ perMachine: true });
    expect(config.msi.upgradeCode).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
  });

  it('verifies the signature of Windows updates and signs macOS builds with the hardened runtime', () => {
    expect(config.win.verifyUpdateCodeSignature).toBe(true);
    expect(config.win.signtoolOptions?.publisherName).not.toBeNull(); // null would turn the check off
    expect(config.mac.hardenedRuntime).toBe(true);
  });

  it('shows no Dock icon on macOS', () => {
    expect(config.mac.extendInfo).toMatchObject({ LSUIElement: true });
  });

  it('names every artifact with version and architecture', () => {
    const names = {
      nsis: config.nsis.artifactName,
      msi: config.msi.artifactName,
      dmg: config.dmg.artifactName,
      other: config.artifactName, // zip, AppImage, deb, rpm
    };
    for (const [target, name] of Object.entries(names)) {
      expect(name, target).toMatch(/\$\{version\}/);
      expect(name, target).toMatch(/\$\{arch\}/);
      expect(name, target).not.toMatch(/\s/);
    }
  });

  it('sets the Electron fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(config.asar).toBe(true); // the asar fuses need an asar archive
  });

  it('writes update metadata for the generic provider', () => {
    expect(config.publish).toMatchObject({ provider: 'generic' });
  });

  it('points at icon files that exist', () => {
    const resources = path.join(ROOT, config.directories.buildResources);
    expect(existsSync(path.join(resources, config.win.icon))).toBe(true);
    expect(existsSync(path.join(resources, config.mac.icon))).toBe(true);
    expect(existsSync(path.join(resources, config.linux.icon, '512x512.png'))).toBe(true);
  });

  it('packages the built desktop app: its package.json main lies inside the packaged files', () => {
    const appDir = path.join(ROOT, config.directories.app);
    const appPackage = JSON.parse(readFileSync(path.join(appDir, 'package.json'), 'utf8')) as { main: string; version: string };
    expect(appPackage.main).toBe('dist/main/index.js');
    expect(config.files).toEqual(expect.arrayContaining(['package.json', 'dist/**/*']));
    expect(appPackage.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
