import { typeLabel } from '@tray-notify/contract/lists';
import { decideAlert, DEFAULT_PREFERENCES, isQuietTime } from './alert-rules.ts';
import { loudest, soundFor, type SoundChoice, type SoundName } from './sounds.ts';
import type { Timers } from './stream-client.ts';
import type { NotificationItem, Preferences } from './types.ts';

export type Alert =
  | { kind: 'single'; notification: NotificationItem; sound: SoundName | null }
  | { kind: 'summary'; title: string; body: string; count: number; ids: string[]; sound: SoundName | null };

export interface AlertSchedulerOptions {
  onAlert: (alert: Alert) => void;
  timers: Timers;
  now?: () => Date;
  /** New notifications arriving within this window are shown together. */
  burstWindowMs?: number;
  /** This many or more in one window become one summary. */
  burstThreshold?: number;
  /** How often to check whether quiet hours are over. */
  quietCheckMs?: number;
}

export interface SoundSettings {
  soundsEnabled: boolean;
  soundByType: Record<string, SoundChoice>;
}

/**
 * Turns the stream of new notifications into native alerts the way a user wants them:
 * only what preferences allow, nothing audible during quiet hours (held, then one
 * "N new while you were away"), and a burst (reconnect, bulk job) as one summary, never a storm.
 */
export class AlertScheduler {
  private prefs: Preferences = DEFAULT_PREFERENCES;
  private sound: SoundSettings = { soundsEnabled: true, soundByType: {} };
  private pending: Array<{ n: NotificationItem; sound: boolean }> = [];
  private held: NotificationItem[] = [];
  private burstTimer: unknown = null;
  private quietTimer: unknown = null;
  private readonly now: () => Date;

  constructor(private readonly opts: AlertSchedulerOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  setPreferences(prefs: Preferences): void {
    this.prefs = prefs;
    this.checkQuietOver();
  }

  setSoundSettings(s: SoundSettings): void {
    this.sound = s;
  }

  get heldCount(): number {
    return this.held.length;
  }

  push(n: NotificationItem): void {
    const d = decideAlert(n, this.prefs, this.now());
    if (!d.toast) return;
    if (d.held) {
      this.held.push(n);
      this.armQuietCheck();
      return;
    }
    this.pending.push({ n, sound: d.sound });
    if (this.burstTimer === null) {
      this.burstTimer = this.opts.timers.setTimeout(() => this.flush(), this.opts.burstWindowMs ?? 1_500);
    }
  }

  /** Handled elsewhere before its toast came up (read on another device): it never toasts. */
  handled(id: string): void {
    this.pending = this.pending.filter((p) => p.n.id !== id);
    this.held = this.held.filter((n) => n.id !== id);
  }

  /** Drop anything pending (logout). */
  clear(): void {
    this.pending = [];
    this.held = [];
    if (this.burstTimer !== null) this.opts.timers.clearTimeout(this.burstTimer);
    if (this.quietTimer !== null) this.opts.timers.clearInterval(this.quietTimer);
    this.burstTimer = null;
    this.quietTimer = null;
  }

  private soundOf(type: string): SoundName | null {
    return this.sound.soundsEnabled ? soundFor(type, this.sound.soundByType) : null;
  }

  flush(): void {
    if (this.burstTimer !== null) this.opts.timers.clearTimeout(this.burstTimer);
    this.burstTimer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    if (batch.length >= (this.opts.burstThreshold ?? 3)) {
      const sound = loudest(batch.map((b) => (b.sound ? this.soundOf(b.n.type) : null)));
      this.opts.onAlert({
        kind: 'summary',
        title: `${batch.length} new notifications`,
        body: summarise(batch.map((b) => b.n)),
        count: batch.length,
        ids: batch.map((b) => b.n.id),
        sound,
      });
      return;
    }
    // A few at once: each its own toast, but a single sound.
    const sound = loudest(batch.map((b) => (b.sound ? this.soundOf(b.n.type) : null)));
    batch.forEach((b, i) => this.opts.onAlert({ kind: 'single', notification: b.n, sound: i === 0 ? sound : null }));
  }

  private armQuietCheck(): void {
    if (this.quietTimer !== null) return;
    this.quietTimer = this.opts.timers.setInterval(() => this.checkQuietOver(), this.opts.quietCheckMs ?? 30_000);
  }

  /** When quiet hours end (or are switched off), release what was held as one summary. */
  checkQuietOver(): void {
    if (this.held.length === 0) return;
    if (isQuietTime(this.prefs.quiet_hours, this.now()) && !this.prefs.muted) return;
    const held = this.held;
    this.held = [];
    if (this.quietTimer !== null) this.opts.timers.clearInterval(this.quietTimer);
    this.quietTimer = null;
    if (this.prefs.muted) return;
    this.opts.onAlert({
      kind: 'summary',
      title: `${held.length} new while you were away`,
      body: summarise(held),
      count: held.length,
      ids: held.map((n) => n.id),
      sound: null,
    });
  }
}

/** "3 Task assigned, 2 Job failed" - the biggest groups first, at most three. */
export function summarise(items: NotificationItem[]): string {
  const counts = new Map<string, number>();
  for (const n of items) counts.set(n.type, (counts.get(n.type) ?? 0) + 1);
  const parts = [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([type, c]) => `${c} ${typeLabel(type)}`);
  const rest = counts.size - 3;
  return parts.join(', ') + (rest > 0 ? ` and ${rest} more kind${rest > 1 ? 's' : ''}` : '');
}
