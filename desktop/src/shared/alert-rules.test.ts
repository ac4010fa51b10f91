import { describe, expect, it } from 'vitest';
import { decideAlert, DEFAULT_PREFERENCES, isQuietTime } from './alert-rules.ts';
import { notification } from '../testing/fixtures.ts';

const qh = (start: string, end: string, time_zone = 'Europe/Berlin') => ({ enabled: true, start, end, time_zone });

describe('isQuietTime', () => {
  it('spans midnight in the preference\'s time zone', () => {
    // 21:30 UTC is 22:30 in Berlin (winter time): inside 22:00-07:00 there, outside for UTC.
    const t = new Date('2026-11-26T21:30:00Z');
    expect(isQuietTime(qh('22:00', '07:00'), t)).toBe(true);
    expect(isQuietTime(qh('22:00', '07:00', 'UTC'), t)).toBe(false);
    expect(isQuietTime(qh('22:00', '07:00'), new Date('2026-11-27T05:59:00Z'))).toBe(true); // 06:59 Berlin
    expect(isQuietTime(qh('22:00', '07:00'), new Date('2026-11-27T06:00:00Z'))).toBe(false); // 07:00 Berlin
  });

  it('handles a same-day window and is off when disabled or empty', () => {
    const noon = new Date('2026-11-26T12:00:00Z');
    expect(isQuietTime(qh('11:00', '13:00', 'UTC'), noon)).toBe(true);
    expect(isQuietTime({ ...qh('11:00', '13:00', 'UTC'), enabled: false }, noon)).toBe(false);
    expect(isQuietTime(qh('12:00', '12:00', 'UTC'), noon)).toBe(false);
  });
});

describe('decideAlert', () => {
  const now = new Date('2026-11-26T12:00:00Z');

  it('alerts with sound by default', () => {
    expect(decideAlert(notification(), DEFAULT_PREFERENCES, now)).toEqual({ toast: true, sound: true, held: false });
  });

  it('follows the per-type preferences and the global mute', () => {
    const types = { task_assigned: { in_app: true, desktop: true, sound: false, email: false } };
    expect(decideAlert(notification(), { ...DEFAULT_PREFERENCES, types }, now)).toEqual({ toast: true, sound: false, held: false });
    const noDesktop = { task_assigned: { in_app: true, desktop: false, sound: true, email: false } };
    expect(decideAlert(notification(), { ...DEFAULT_PREFERENCES, types: noDesktop }, now).toast).toBe(false);
    expect(decideAlert(notification(), { ...DEFAULT_PREFERENCES, muted: true }, now).toast).toBe(false);
  });

  it('holds alerts during quiet hours, silently', () => {
    const prefs = { ...DEFAULT_PREFERENCES, quiet_hours: qh('11:00', '13:00', 'UTC') };
    expect(decideAlert(notification(), prefs, now)).toEqual({ toast: true, sound: false, held: true });
  });

  it('never alerts for something already read or archived', () => {
    expect(decideAlert(notification({ read_at: now.toISOString() }), DEFAULT_PREFERENCES, now).toast).toBe(false);
    expect(decideAlert(notification({ archived_at: now.toISOString() }), DEFAULT_PREFERENCES, now).toast).toBe(false);
  });
});
