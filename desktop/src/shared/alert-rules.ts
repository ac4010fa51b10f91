import { DEFAULT_QUIET_HOURS } from '@tray-notify/contract/lists';
import type { NotificationItem, Preferences, QuietHours, TypePreference } from './types.ts';

export const DEFAULT_TYPE_PREFERENCE: TypePreference = { in_app: true, desktop: true, sound: true, email: false };

export const DEFAULT_PREFERENCES: Preferences = {
  muted: false,
  quiet_hours: { ...DEFAULT_QUIET_HOURS },
  types: {},
};

function minutesOf(hhmm: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return h * 60 + min;
}

/** Minutes since midnight of `now` in `timeZone` (falls back to UTC for an unknown zone). */
export function localMinutes(now: Date, timeZone: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  } catch {
    return now.getUTCHours() * 60 + now.getUTCMinutes();
  }
  const h = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const m = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return (h % 24) * 60 + m;
}

/** Quiet hours are [start, end) in their time zone and may span midnight (22:00-07:00). */
export function isQuietTime(qh: QuietHours, now: Date): boolean {
  if (!qh.enabled) return false;
  const start = minutesOf(qh.start);
  const end = minutesOf(qh.end);
  if (start === null || end === null || start === end) return false;
  const t = localMinutes(now, qh.time_zone);
  return start < end ? t >= start && t < end : t >= start || t < end;
}

export interface AlertDecision {
  /** Show a native notification (now, or in the summary after quiet hours). */
  toast: boolean;
  /** Play a sound with it. */
  sound: boolean;
  /** Quiet hours: hold it and summarise later. */
  held: boolean;
}

const NOTHING: AlertDecision = { toast: false, sound: false, held: false };

/** What the user's preferences say about one new notification right now. */
export function decideAlert(n: NotificationItem, prefs: Preferences, now: Date): AlertDecision {
  if (n.read_at || n.archived_at) return NOTHING;
  if (prefs.muted) return NOTHING;
  const p = prefs.types[n.type] ?? DEFAULT_TYPE_PREFERENCE;
  if (!p.in_app || !p.desktop) return NOTHING;
  if (isQuietTime(prefs.quiet_hours, now)) return { toast: true, sound: false, held: true };
  return { toast: true, sound: p.sound, held: false };
}
