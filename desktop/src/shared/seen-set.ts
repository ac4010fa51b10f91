/**
 * The ids of notifications already seen (loaded, streamed or polled), so none alerts twice;
 * bounded, forgetting the oldest first.
 */
export class SeenSet {
  private readonly ids = new Set<string>();

  constructor(private readonly limit = 2_000) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.limit) {
      const first = this.ids.values().next().value;
      if (first !== undefined) this.ids.delete(first);
    }
  }

  clear(): void {
    this.ids.clear();
  }
}
