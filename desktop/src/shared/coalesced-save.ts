/**
 * Saves something edited in place (a settings page): every change shows at once, at most one
 * request is in flight, and the changes made meanwhile leave together, in order, once it is
 * back. So quick clicks on a slow connection are all kept: none is sent from a stale copy, and
 * no late answer puts back an older state over newer clicks.
 */
export interface CoalescedSaveHooks<V, S> {
  /** Everything asked for is saved; `saved` is what the other side answered. */
  saved(saved: S): void;
  /** The last request was refused and nothing newer is waiting: `value` can be sent again. */
  failed(err: unknown, value: V): void;
}

export class CoalescedSave<V, S = V> {
  private waiting: { value: V } | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly send: (value: V) => Promise<S>,
    private readonly hooks: CoalescedSaveHooks<V, S>,
    /** How a newer change joins one still waiting (default: the newer one replaces it). */
    private readonly merge: (waiting: V, next: V) => V = (_waiting, next) => next,
  ) {}

  /** True while a request is in flight or a change waits for one. */
  get busy(): boolean {
    return this.running !== null;
  }

  /** Resolves once this change (and any that joined it) has been answered. */
  save(value: V): Promise<void> {
    this.waiting = this.waiting ? { value: this.merge(this.waiting.value, value) } : { value };
    this.running ??= this.drain();
    return this.running;
  }

  /** What save() left while a request was out (read through a call: the await changes it). */
  private pending(): { value: V } | null {
    return this.waiting;
  }

  private async drain(): Promise<void> {
    // Told once the queue is empty and no longer busy, so `busy` reads false in the hooks.
    let outcome: (() => void) | null = null;
    try {
      while (this.waiting) {
        const { value } = this.waiting;
        this.waiting = null;
        try {
          const saved = await this.send(value);
          if (!this.pending()) outcome = () => this.hooks.saved(saved);
        } catch (err) {
          // A newer change is waiting: it is sent next (a whole state, or merged with this one).
          const newer = this.pending();
          if (newer) this.waiting = { value: this.merge(value, newer.value) };
          else outcome = () => this.hooks.failed(err, value);
        }
      }
    } finally {
      this.running = null;
    }
    outcome?.();
  }
}
