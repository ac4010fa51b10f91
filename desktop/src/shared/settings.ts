import { isSoundName, type SoundChoice } from './sounds.ts';

/** Settings kept on this device (not on the server). */
export interface LocalSettings {
  serverUrl: string;
  /** Origin of the customer's web app that notification targets open in (e.g. https://app.example.com). */
  webAppBaseUrl: string;
  soundsEnabled: boolean;
  /** 0..1 */
  volume: number;
  soundByType: Record<string, SoundChoice>;
  startAtLogin: boolean;
}

export const DEFAULT_SETTINGS: LocalSettings = {
  serverUrl: 'http://localhost:3000',
  webAppBaseUrl: 'http://localhost:3000',
  soundsEnabled: true,
  volume: 0.7,
  soundByType: {},
  startAtLogin: false,
};

export function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Merges an untrusted partial (from a file or an IPC call) into valid settings; invalid fields are dropped. */
export function sanitizeSettings(input: unknown, base: LocalSettings = DEFAULT_SETTINGS): LocalSettings {
  const out: LocalSettings = { ...base, soundByType: { ...base.soundByType } };
  if (!input || typeof input !== 'object') return out;
  const i = input as Record<string, unknown>;
  if (typeof i.serverUrl === 'string' && isHttpUrl(i.serverUrl)) out.serverUrl = i.serverUrl.replace(/\/+$/, '');
  if (typeof i.webAppBaseUrl === 'string' && isHttpUrl(i.webAppBaseUrl)) out.webAppBaseUrl = i.webAppBaseUrl.replace(/\/+$/, '');
  if (typeof i.soundsEnabled === 'boolean') out.soundsEnabled = i.soundsEnabled;
  if (typeof i.volume === 'number' && Number.isFinite(i.volume)) out.volume = Math.min(1, Math.max(0, i.volume));
  if (typeof i.startAtLogin === 'boolean') out.startAtLogin = i.startAtLogin;
  if (i.soundByType && typeof i.soundByType === 'object') {
    for (const [type, choice] of Object.entries(i.soundByType as Record<string, unknown>)) {
      if (choice === 'default' || choice === 'none' || isSoundName(choice)) out.soundByType[type] = choice;
    }
  }
  return out;
}
