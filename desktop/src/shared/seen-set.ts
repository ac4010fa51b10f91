/** What identifies one arrival of a notification: a snoozed one that wakes comes back with a newer `created_at`. */
export type SeenKey = { id: string; created_at: string };

/**
 * The notifications already seen (loaded, streamed or polled), so none alerts twice; bounded,
 * forgetting the oldest first. Keyed by id and arrival time: a woken snooze is news again.
 */
export class SeenSet {
  private readonly arrivals = new Map<string, number>();

  constructor(private readonly limit = 2_000) {}

  /** Seen already: this id, at this arrival time or a later one. */
  has(n: SeenKey): boolean {
    const seen = this.arrivals.get(n.id);
    return seen !== undefined && !(arrival(n) > seen);
  }

  add(n: SeenKey): void {
    const at = arrival(n);
    const seen = this.arrivals.get(n.id);
    if (seen !== undefined && !(at > seen)) return;
    // Re-inserted, so a woken notification counts as the newest when the oldest are forgotten.
    this.arrivals.delete(n.id);
    this.arrivals.set(n.id, at);
    if (this.arrivals.size > this.limit) {
      const first = this.arrivals.keys().next().value;
      if (first !== undefined) this.arrivals.delete(first);
    }
  }

  clear(): void {
    this.arrivals.clear();
  }
}

/** An unparsable time counts as the earliest: such an item is seen once, by its id. */
const arrival = (n: SeenKey) => {
  const t = Date.parse(n.created_at);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
};
