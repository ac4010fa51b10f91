/**
 * A concurrency budget shared fairly: at most `perUser` at once for one user, `perWorkspace`
 * for one workspace and `total` for the process. What does not fit waits in line for at most
 * `maxWaitMs` (no more than `maxQueuedPerUser` of one user's wait at all), then is refused, so
 * that one caller's flood queues behind itself and never in front of anybody else.
 */
export interface FairShareLimits {
  perUser: number;
  perWorkspace: number;
  total: number;
  maxWaitMs: number;
  maxQueuedPerUser: number;
}

export interface FairShareKeys {
  user: string;
  workspace: string;
}

/** Refused: the caller's share is in use and stayed in use for the wait allowed. */
export class FairShareFull extends Error {
  constructor(
    readonly limit: 'user' | 'workspace' | 'total',
    readonly retryAfterSeconds: number,
  ) {
    super(`fair share full (${limit})`);
  }
}

interface Waiter {
  keys: FairShareKeys;
  admit: () => void;
  timer: NodeJS.Timeout;
}

export class FairShare {
  private running = 0;
  private readonly byUser = new Map<string, number>();
  private readonly byWorkspace = new Map<string, number>();
  /** In arrival order; each admitted as soon as it fits, so others pass a waiter whose own share is full. */
  private readonly queue: Waiter[] = [];

  constructor(readonly limits: FairShareLimits) {}

  /** Waits for a place (within maxWaitMs) and returns its release; rejects with FairShareFull. */
  acquire(keys: FairShareKeys): Promise<() => void> {
    // Whoever waits does not fit now (each release admits every waiter that does), so one that
    // fits passes nobody who could run.
    if (this.fits(keys)) return Promise.resolve(this.take(keys));
    const queuedForUser = this.queue.reduce((count, waiter) => count + (waiter.keys.user === keys.user ? 1 : 0), 0);
    if (queuedForUser >= this.limits.maxQueuedPerUser) return Promise.reject(new FairShareFull(this.fullLimit(keys), this.retryAfter()));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        keys,
        admit: () => resolve(this.take(keys)),
        timer: setTimeout(() => {
          this.queue.splice(this.queue.indexOf(waiter), 1);
          reject(new FairShareFull(this.fullLimit(keys), this.retryAfter()));
        }, this.limits.maxWaitMs),
      };
      this.queue.push(waiter);
    });
  }

  private fits({ user, workspace }: FairShareKeys) {
    return (
      this.running < this.limits.total &&
      (this.byUser.get(user) ?? 0) < this.limits.perUser &&
      (this.byWorkspace.get(workspace) ?? 0) < this.limits.perWorkspace
    );
  }

  private fullLimit({ user, workspace }: FairShareKeys): FairShareFull['limit'] {
    if ((this.byUser.get(user) ?? 0) >= this.limits.perUser) return 'user';
    if ((this.byWorkspace.get(workspace) ?? 0) >= this.limits.perWorkspace) return 'workspace';
    return 'total';
  }

  /** About how long until a place frees up: the wait allowed, rounded up to whole seconds. */
  private retryAfter() {
    return Math.max(1, Math.ceil(this.limits.maxWaitMs / 1000));
  }

  private take({ user, workspace }: FairShareKeys): () => void {
    this.running++;
    this.byUser.set(user, (this.byUser.get(user) ?? 0) + 1);
    this.byWorkspace.set(workspace, (this.byWorkspace.get(workspace) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      decrement(this.byUser, user);
      decrement(this.byWorkspace, workspace);
      this.admitWaiting();
    };
  }

  private admitWaiting() {
    for (let i = 0; i < this.queue.length && this.running < this.limits.total; ) {
      const waiter = this.queue[i]!;
      if (!this.fits(waiter.keys)) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      clearTimeout(waiter.timer);
      waiter.admit();
    }
  }
}

function decrement(counts: Map<string, number>, key: string) {
  const left = (counts.get(key) ?? 1) - 1;
  if (left === 0) counts.delete(key);
  else counts.set(key, left);
}
