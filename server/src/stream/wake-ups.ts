/** "User U's stream log holds events up to N." */
export interface StreamHead {
  userId: string;
  seq: bigint;
}

/**
 * Reads "<userId>:<seq>,...", the form in which the append statements return what they wrote
 * and NOTIFY payloads carry it; malformed entries are skipped.
 */
export function parseHeads(text: string | null | undefined): StreamHead[] {
  const heads: StreamHead[] = [];
  for (const entry of text ? text.split(',') : []) {
    const [userId, seq] = entry.split(':');
    if (userId && seq && /^\d+$/.test(seq)) heads.push({ userId, seq: BigInt(seq) });
  }
  return heads;
}

type Subscriber = (heads: StreamHead[], committed: boolean) => void;

const subscribers = new Set<Subscriber>();

/**
 * Hands what a writer appended to this process's notifiers (notifier.ts), which wake the
 * streams here and in other processes once the writing transaction has committed. The wake-up
 * is not part of that transaction: NOTIFY in a transaction makes its commit take a lock held
 * through the WAL flush, so every notifying commit of the cluster waited for the previous one's.
 * `committed`: the caller ran the transaction to its end and it committed; otherwise it may
 * still be open, and the notifier waits until the heads are visible. A process without a
 * notifier wakes no one: the hubs' periodic sweep delivers its events within seconds.
 */
export function announceStreamHeads(heads: StreamHead[], committed: boolean) {
  if (heads.length === 0) return;
  for (const subscriber of subscribers) subscriber(heads, committed);
}

/** Subscribes to announceStreamHeads; returns the unsubscribe. */
export function onStreamHeads(subscriber: Subscriber): () => void {
  subscribers.add(subscriber);
  return () => subscribers.delete(subscriber);
}
