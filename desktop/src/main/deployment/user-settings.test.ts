import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveUserSettings } from './user-settings.ts';

describe('saveUserSettings', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tray-notify-user-'));
    file = path.join(dir, 'nested', 'user-settings.json');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const saved = () => JSON.parse(readFileSync(file, 'utf8')) as unknown;

  it('creates the file and its folder, then merges later changes', () => {
    saveUserSettings(file, { startAtLogin: false });
    saveUserSettings(file, { serverUrl: 'https://mine.example.com' });
    expect(saved()).toEqual({ startAtLogin: false, serverUrl: 'https://mine.example.com' });
    expect(readdirSync(path.dirname(file))).toEqual(['user-settings.json']); // no temp file left behind
  });

  it('removes a setting given as undefined', () => {
    saveUserSettings(file, { startAtLogin: false, serverUrl: 'https://mine.example.com' });
    expect(saveUserSettings(file, { serverUrl: undefined })).toEqual({ startAtLogin: false });
    expect(saved()).toEqual({ startAtLogin: false });
  });

  it('replaces a corrupt file and drops invalid entries instead of keeping them', () => {
    saveUserSettings(file, {});
    writeFileSync(file, '{"startAtLogin": "nope", "serverUrl": "https://ok.example.com", "autoUpdate": false}');
    saveUserSettings(file, { startAtLogin: true });
    expect(saved()).toEqual({ serverUrl: 'https://ok.example.com', startAtLogin: true });
    writeFileSync(file, 'not json');
    saveUserSettings(file, { startAtLogin: false });
    expect(saved()).toEqual({ startAtLogin: false });
  });
});
