import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PREFERENCES } from './alert-rules.ts';
import { AlertScheduler, type Alert } from './alert-scheduler.ts';
import { realTimers } from './stream-client.ts';
import { notification } from '../testing/fixtures.ts';

function setup(now = () => new Date('2026-11-26T12:00:00Z')) {
  const alerts: Alert[] = [];
  const s = new AlertScheduler({ onAlert: (a) => alerts.push(a), timers: realTimers, now });
  return { s, alerts };
}

describe('AlertScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows a single notification with the sound of its type', () => {
    const { s, alerts } = setup();
    s.push(notification({ type: 'job_failed' }));
    expect(alerts).toHaveLength(0);
    vi.advanceTimersByTime(1_500);
    expect(alerts).toEqual([expect.objectContaining({ kind: 'single', sound: 'alert' })]);
  });

  it('turns a burst (e.g. after reconnect) into one summary with one sound', () => {
    const { s, alerts } = setup();
    for (let i = 0; i < 12; i++) s.push(notification({ type: i === 5 ? 'job_failed' : 'task_assigned' }));
    vi.advanceTimersByTime(1_500);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'summary', count: 12, title: '12 new notifications', sound: 'alert' });
    expect(alerts[0]?.kind === 'summary' && alerts[0].body).toBe('11 Task assigned to you, 1 Job failed');
  });

  it('plays only one sound for two notifications arriving together', () => {
    const { s, alerts } = setup();
    s.push(notification({ type: 'reply_received' }));
    s.push(notification({ type: 'campaign_outcome' }));
    vi.advanceTimersByTime(1_500);
    expect(alerts.map((a) => a.kind)).toEqual(['single', 'single']);
    expect(alerts.map((a) => a.sound)).toEqual(['chime', null]);
  });

  it('respects the per-type sound choice and the sounds switch', () => {
    const { s, alerts } = setup();
    s.setSoundSettings({ soundsEnabled: true, soundByType: { task_assigned: 'none' } });
    s.push(notification({ type: 'task_assigned' }));
    vi.advanceTimersByTime(1_500);
    s.setSoundSettings({ soundsEnabled: false, soundByType: {} });
    s.push(notification({ type: 'job_failed' }));
    vi.advanceTimersByTime(1_500);
    expect(alerts.map((a) => a.sound)).toEqual([null, null]);
    expect(alerts).toHaveLength(2);
  });

  it('holds alerts during quiet hours and summarises them when they end', () => {
    let clock = new Date('2026-11-26T21:00:00Z');
    const { s, alerts } = setup(() => clock);
    s.setPreferences({ ...DEFAULT_PREFERENCES, quiet_hours: { enabled: true, start: '20:00', end: '07:00', time_zone: 'UTC' } });
    for (let i = 0; i < 12; i++) s.push(notification());
    vi.advanceTimersByTime(60_000);
    expect(alerts).toHaveLength(0);
    expect(s.heldCount).toBe(12);
    clock = new Date('2026-11-27T07:00:00Z');
    vi.advanceTimersByTime(30_000);
    expect(alerts).toEqual([expect.objectContaining({ kind: 'summary', title: '12 new while you were away', sound: null })]);
    vi.advanceTimersByTime(120_000);
    expect(alerts).toHaveLength(1);
  });

  it('shows nothing for types the user switched off', () => {
    const { s, alerts } = setup();
    s.setPreferences({ ...DEFAULT_PREFERENCES, types: { campaign_outcome: { in_app: true, desktop: false, sound: true, email: true } } });
    s.push(notification({ type: 'campaign_outcome' }));
    vi.advanceTimersByTime(5_000);
    expect(alerts).toHaveLength(0);
  });
});
