// Timers on a virtual clock for the classes that take a `Timers` (stream client, alert
// scheduler, app service): a test advances time instead of sleeping through it.
import type { Timers } from '../shared/stream-client.ts';

interface Pending {
  fn: () => void;
  due: number;
  every: number | null;
}

export class ManualTimers implements Timers {
  private now = 0;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  setTimeout(fn: () => void, ms: number): unknown {
    this.pending.set(++this.seq, { fn, due: this.now + ms, every: null });
    return this.seq;
  }

  setInterval(fn: () => void, ms: number): unknown {
    this.pending.set(++this.seq, { fn, due: this.now + ms, every: ms });
    return this.seq;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  clearInterval(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Moves the clock forward, running what falls due in order (intervals as often as they fall due). */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const next = [...this.pending.entries()].filter(([, p]) => p.due <= until).sort((a, b) => a[1].due - b[1].due)[0];
      if (!next) break;
      const [id, p] = next;
      this.now = p.due;
      if (p.every === null) this.pending.delete(id);
      else p.due += p.every;
      p.fn();
    }
    this.now = until;
  }
}
