import { afterEach, describe, expect, it } from 'vitest';
import { quietHoursOnThisDevice, snoozeChoices, wallClock } from './snooze.ts';

describe('snooze choices', () => {
  it('tonight and tomorrow morning are wall-clock times in the user\'s zone, not the device\'s', () => {
    // 2026-11-30 is a Monday; 10:00 UTC is 11:00 in Berlin and 05:00 in New York.
    const now = new Date('2026-11-30T10:00:00Z');
    const berlin = Object.fromEntries(snoozeChoices(now, 'Europe/Berlin').map((c) => [c.key, c.until.toISOString()]));
    expect(berlin).toEqual({
      '1h': '2026-11-30T11:00:00.000Z',
      tonight: '2026-11-30T18:00:00.000Z',
      tomorrow: '2026-12-01T07:00:00.000Z',
      'next-week': '2026-12-07T07:00:00.000Z',
    });
    const newYork = Object.fromEntries(snoozeChoices(now, 'America/New_York').map((c) => [c.key, c.until.toISOString()]));
    expect(newYork.tonight).toBe('2026-12-01T00:00:00.000Z');
    expect(newYork.tomorrow).toBe('2026-12-01T13:00:00.000Z');
  });

  it('after 19:00 "tonight" becomes tomorrow evening; on Sunday next week is the next day', () => {
    const late = new Date('2026-12-06T20:30:00Z'); // Sunday 21:30 in Berlin
    const choices = snoozeChoices(late, 'Europe/Berlin', 'en-GB');
    expect(choices[1]).toMatchObject({ label: 'Tomorrow evening (19:00)', until: new Date('2026-12-07T18:00:00Z') });
    expect(choices[3]!.until.toISOString()).toBe('2026-12-07T07:00:00.000Z');
  });

  it('keeps the wall clock across a DST change', () => {
    // Berlin leaves summer time on 2026-10-25: 08:00 is 06:00Z before and 07:00Z after.
    expect(wallClock(new Date('2026-10-24T12:00:00Z'), 'Europe/Berlin', 0, 8).toISOString()).toBe('2026-10-24T06:00:00.000Z');
    expect(wallClock(new Date('2026-10-24T12:00:00Z'), 'Europe/Berlin', 1, 8).toISOString()).toBe('2026-10-25T07:00:00.000Z');
  });

  it('keeps minutes', () => {
    expect(wallClock(new Date('2026-12-07T12:00:00Z'), 'Asia/Kolkata', 0, 22, 30).toISOString()).toBe('2026-12-07T17:00:00.000Z');
  });
});

describe('quiet hours on this device', () => {
  const deviceZone = process.env.TZ;
  afterEach(() => {
    if (deviceZone === undefined) delete process.env.TZ;
    else process.env.TZ = deviceZone;
  });

  it('reads quiet hours set in Berlin on a device in Tokyo (8 hours ahead in December)', () => {
    process.env.TZ = 'Asia/Tokyo';
    const quiet = { start: '22:00', end: '07:30', time_zone: 'Europe/Berlin' };
    expect(quietHoursOnThisDevice(quiet, new Date('2026-12-07T12:00:00Z'), 'en-GB')).toBe('06:00–15:30');
  });

  it('says nothing when the device is in that zone, or in one with the same offset', () => {
    process.env.TZ = 'Europe/Berlin';
    expect(quietHoursOnThisDevice({ start: '22:00', end: '07:00', time_zone: 'Europe/Berlin' }, new Date('2026-12-07T12:00:00Z'))).toBeNull();
    expect(quietHoursOnThisDevice({ start: '22:00', end: '07:00', time_zone: 'Europe/Paris' }, new Date('2026-12-07T12:00:00Z'))).toBeNull();
  });
});
