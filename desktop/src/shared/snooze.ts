// Snooze quick choices, computed in the user's time zone (runtime-neutral: Intl only).
import { clockTime } from './format.ts';
import type { QuietHours } from './types.ts';

/** The offset of `timeZone` from UTC at `at`, in minutes (Berlin in winter: +60). */
function offsetMinutes(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The calendar date and weekday of `at` in `timeZone`. */
function dateIn(at: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short' })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday!);
  return { year: +parts.year!, month: +parts.month!, day: +parts.day!, weekday };
}

/** The instant of wall-clock `hour`:`minute` on the date `daysAhead` after `from`'s date, in `timeZone`. */
export function wallClock(from: Date, timeZone: string, daysAhead: number, hour: number, minute = 0): Date {
  const { year, month, day } = dateIn(from, timeZone);
  const guess = Date.UTC(year, month - 1, day + daysAhead, hour, minute, 0);
  // Two passes settle the offset even when the day crosses a DST change.
  let at = new Date(guess - offsetMinutes(new Date(guess), timeZone) * 60_000);
  at = new Date(guess - offsetMinutes(at, timeZone) * 60_000);
  return at;
}

export interface SnoozeChoice {
  key: '1h' | 'tonight' | 'tomorrow' | 'next-week';
  label: string;
  until: Date;
}

/** 1 hour; tonight at 19:00 (tomorrow's if that has passed); tomorrow 08:00; next Monday 08:00. */
export function snoozeChoices(now: Date, timeZone: string, locale?: string): SnoozeChoice[] {
  const tonightToday = wallClock(now, timeZone, 0, 19);
  const tonight = tonightToday.getTime() > now.getTime() + 15 * 60_000 ? tonightToday : wallClock(now, timeZone, 1, 19);
  const { weekday } = dateIn(now, timeZone);
  const toMonday = ((8 - weekday) % 7) || 7;
  // The labels name the wall-clock time in the same zone the instants are computed in.
  const at = (d: Date) => clockTime(d, locale, timeZone);
  const morning = wallClock(now, timeZone, 1, 8);
  const monday = wallClock(now, timeZone, toMonday, 8);
  return [
    { key: '1h', label: 'In 1 hour', until: new Date(now.getTime() + 3600_000) },
    { key: 'tonight', label: `${tonightToday === tonight ? 'Tonight' : 'Tomorrow evening'} (${at(tonight)})`, until: tonight },
    { key: 'tomorrow', label: `Tomorrow morning (${at(morning)})`, until: morning },
    { key: 'next-week', label: `Next week (Monday ${at(monday)})`, until: monday },
  ];
}

/** The zone the device runs in, for defaults. */
export const deviceTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * Quiet hours set in another zone, as this device's clock reads them today ("06:00–15:00"),
 * or null when the zones agree (nothing to translate).
 */
export function quietHoursOnThisDevice(quiet: Pick<QuietHours, 'start' | 'end' | 'time_zone'>, now: Date, locale?: string): string | null {
  const device = deviceTimeZone();
  if (!quiet.time_zone || quiet.time_zone === device || offsetMinutes(now, quiet.time_zone) === offsetMinutes(now, device)) return null;
  const at = (hhmm: string) => {
    const [hour, minute] = hhmm.split(':').map(Number);
    return clockTime(wallClock(now, quiet.time_zone, 0, hour ?? 0, minute ?? 0), locale);
  };
  return `${at(quiet.start)}–${at(quiet.end)}`;
}
