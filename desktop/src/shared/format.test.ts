import { describe, expect, it } from 'vitest';
import { dateTime, dayHeading, relativeTime, typeLabel } from './format.ts';

describe('format', () => {
  it('gives older items their date and time, not a bare date', () => {
    const now = new Date(2026, 10, 30, 12, 0);
    expect(relativeTime(new Date(2026, 10, 20, 14, 5).toISOString(), now, 'en-GB')).toBe('20 Nov, 14:05');
    expect(relativeTime(new Date(2025, 10, 20, 9, 30).toISOString(), now, 'en-US')).toBe('Nov 20, 2025, 9:30 AM');
    expect(relativeTime(new Date(2026, 10, 30, 11, 0).toISOString(), now)).toBe('1 h ago');
  });

  it('groups by day', () => {
    const now = new Date(2026, 10, 30, 12, 0);
    expect(dayHeading(new Date(2026, 10, 30, 1, 0).toISOString(), now)).toBe('Today');
    expect(dayHeading(new Date(2026, 10, 29, 23, 0).toISOString(), now)).toBe('Yesterday');
    expect(dayHeading(new Date(2026, 10, 23, 9, 0).toISOString(), now, 'en-US')).toBe('Monday, Nov 23');
  });

  it('writes a moment with its day, in the given locale', () => {
    const now = new Date(2026, 11, 7, 12, 0);
    expect(dateTime(new Date(2026, 11, 7, 14, 5), now, 'en-GB')).toBe('Today, 14:05');
    expect(dateTime(new Date(2026, 11, 8, 8, 0), now, 'en-GB')).toBe('Tomorrow, 08:00');
    expect(dateTime(new Date(2026, 11, 5, 9, 30), now, 'en-US')).toBe('Sat, Dec 5, 9:30 AM');
  });

  it('says types in plain words', () => {
    expect(typeLabel('api_key.revoked')).toBe('API key revoked');
    expect(typeLabel('job_failed')).toBe('Job failed');
    expect(typeLabel('crm.synced')).toBe('Crm synced');
  });
});
