/**
 * Tells the server whether the person is at this device, sending no more than it must: one
 * report when input starts, one every `refreshMs` while it goes on (each counts 90 s on the
 * server), and one when the device goes idle. Input between refreshes costs nothing.
 */
export class PresenceReporter {
  private active = false;
  private lastSent = 0;

  constructor(
    private readonly send: (active: boolean) => Promise<unknown>,
    private readonly now: () => number = Date.now,
    private readonly refreshMs = 30_000,
  ) {}

  /** There was input just now (a key, the pointer, the system's idle time near zero). */
  input(): void {
    const now = this.now();
    if (this.active && now - this.lastSent < this.refreshMs) return;
    this.active = true;
    this.lastSent = now;
    void this.send(true).catch(() => {
      // Try again with the next input.
      this.lastSent = 0;
    });
  }

  /** No input for a while, the window hidden, the screen locked. */
  idle(): void {
    if (!this.active) return;
    this.active = false;
    this.lastSent = 0;
    void this.send(false).catch(() => undefined);
  }

  /** Signed out: the server forgets on its own. */
  reset(): void {
    this.active = false;
    this.lastSent = 0;
  }

  get isActive(): boolean {
    return this.active;
  }
}

/** A device id for this run of the tray app or this browser tab: random, never reused. */
export function newDeviceId(random: () => number = Math.random): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID().replace(/-/g, '');
  let id = '';
  for (let i = 0; i < 32; i++) id += Math.floor(random() * 16).toString(16);
  return id;
}
