import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeploymentInfo } from '../shared/ipc.ts';
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
  // Nothing configured: no server from IT, none chosen through the deployment.
  const unmanaged: DeploymentInfo = { ...managed, serverUrl: null, serverUrlLocked: false, startAtLoginLocked: false, webAppBaseUrl: null };

  it('keeps the user\'s settings across restarts, and ignores invalid values', () => {
    const f = file();
    const store = new JsonSettingsStore(f, () => unmanaged);
    store.save({ ...store.load(), serverUrl: 'https://mine.test', volume: 0.3 });
    fs.writeFileSync(f, JSON.stringify({ ...JSON.parse(fs.readFileSync(f, 'utf8')), volume: 7, serverUrl: 'javascript:x' }));
    const again = new JsonSettingsStore(f, () => unmanaged).load();
    expect(again.volume).toBe(1);
    expect(again.serverUrl).toBe('http://localhost:3000');
  });

  it('lets IT-managed values win and does not let the user change them', () => {
    const store = new JsonSettingsStore(file(), () => managed);
    expect(store.load()).toMatchObject({ serverUrl: 'https://notify.corp.test', webAppBaseUrl: 'https://app.corp.test', startAtLogin: true });
    const saved = store.save({ ...store.load(), serverUrl: 'https://elsewhere.test', startAtLogin: false, volume: 0.2 });
    expect(saved).toMatchObject({ serverUrl: 'https://notify.corp.test', startAtLogin: true, volume: 0.2 });
  });

  it('takes the server URL and start at login from the deployment, unlocked too; settings.json\'s server only when it has none', () => {
    const f = file();
    let deployment: DeploymentInfo = { ...unmanaged, startAtLogin: false };
    const store = new JsonSettingsStore(f, () => deployment);
    expect(store.save({ ...store.load(), serverUrl: 'https://old.test', startAtLogin: true })).toMatchObject({ serverUrl: 'https://old.test', startAtLogin: false });

    // The user's choice saved through the deployment (or IT's unlocked default) wins.
    deployment = { ...unmanaged, serverUrl: 'https://mine.test', startAtLogin: true };
    expect(store.load()).toMatchObject({ serverUrl: 'https://mine.test', webAppBaseUrl: 'http://localhost:3000', startAtLogin: true });
  });
});
