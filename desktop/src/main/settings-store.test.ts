import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeploymentInfo } from '../shared/ipc.ts';
import { userSettingsDeployment } from './deployment.ts';
import { JsonSettingsStore } from './settings-store.ts';

const dirs: string[] = [];
function file() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settings-'));
  dirs.push(dir);
  return path.join(dir, 'settings.json');
}
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const managed: DeploymentInfo = {
  serverUrl: 'https://notify.corp.test',
  serverUrlLocked: true,
  webAppBaseUrl: 'https://app.corp.test',
  startAtLogin: true,
  startAtLoginLocked: true,
  autoUpdate: true,
  problems: [],
};

describe('JsonSettingsStore', () => {
  it('keeps the user\'s settings across restarts, and ignores invalid values', () => {
    const f = file();
    const store = new JsonSettingsStore(f, () => ({ ...managed, serverUrlLocked: false, startAtLoginLocked: false, webAppBaseUrl: null }));
    store.save({ ...store.load(), serverUrl: 'https://mine.test', volume: 0.3 });
    fs.writeFileSync(f, JSON.stringify({ ...JSON.parse(fs.readFileSync(f, 'utf8')), volume: 7, serverUrl: 'javascript:x' }));
    const again = new JsonSettingsStore(f, () => ({ ...managed, serverUrlLocked: false, startAtLoginLocked: false, webAppBaseUrl: null })).load();
    expect(again.volume).toBe(1);
    expect(again.serverUrl).toBe('http://localhost:3000');
  });

  it('lets IT-managed values win and does not let the user change them', () => {
    const store = new JsonSettingsStore(file(), () => managed);
    expect(store.load()).toMatchObject({ serverUrl: 'https://notify.corp.test', webAppBaseUrl: 'https://app.corp.test', startAtLogin: true });
    const saved = store.save({ ...store.load(), serverUrl: 'https://elsewhere.test', startAtLogin: false, volume: 0.2 });
    expect(saved).toMatchObject({ serverUrl: 'https://notify.corp.test', startAtLogin: true, volume: 0.2 });
  });

  it('the default deployment provider reports the user\'s own settings, unlocked', () => {
    const store: JsonSettingsStore = new JsonSettingsStore(file(), (): DeploymentInfo => userSettingsDeployment(() => store.loadUser())());
    store.save({ ...store.load(), serverUrl: 'https://mine.test', startAtLogin: true });
    expect(userSettingsDeployment(() => store.loadUser())()).toEqual({
      serverUrl: 'https://mine.test',
      serverUrlLocked: false,
      webAppBaseUrl: 'http://localhost:3000',
      startAtLogin: true,
      startAtLoginLocked: false,
      autoUpdate: false,
      problems: [],
    });
  });
});
