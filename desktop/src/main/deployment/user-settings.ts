import fs from 'node:fs';
import path from 'node:path';
import { type UserSettings, parseUserSettings } from './config.ts';

/**
 * Saves the user's own choices. Unknown or invalid entries already in the file
 * are dropped rather than kept, so a bad value cannot keep coming back.
 * `undefined` in the patch removes a setting (back to IT's value or the default).
 */
export function saveUserSettings(file: string, patch: { [K in keyof UserSettings]?: UserSettings[K] | undefined }): UserSettings {
  let current: UserSettings = {};
  try {
    current = parseUserSettings(fs.readFileSync(file, 'utf8'), file).settings;
  } catch {
    // missing or unreadable: start from nothing; the write below reports real failures
  }
  const next: Record<string, unknown> = { ...current, ...patch };
  for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Write then rename, so a crash or full disk mid-write never leaves half a file.
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(next, null, 2)}\n`);
  fs.renameSync(temp, file);
  return next as UserSettings;
}
