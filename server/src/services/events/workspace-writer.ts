import { isConflict, type PrismaClient } from '../../db/prisma.ts';
import { type Sql, withTransaction } from '../../db/sql.ts';
import { isDatabaseUnavailable } from '../../lib/database-unavailable.ts';

interface Waiting {
  work: (tx: Sql) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** How many waiting writes one transaction takes: enough to share a commit, few enough to answer soon. */
const MAX_PER_TRANSACTION = 16;

/**
 * Writes that record a workspace's activity, one transaction at a time per workspace in this
 * process: the writes that arrive while one is running wait and then share the next
 * transaction, each under its own savepoint, so a write that fails is undone alone and its
 * caller gets its own error. A workspace's transactions take turns on its activity chain's
 * head from their insert until they commit, so separate transactions would wait for each
 * other's commits anyway; together they wait for one. Other processes' transactions take turns
 * with these on the head as before. A write alone runs at once, in a transaction of its own.
 */
export class WorkspaceWriter {
  private readonly waiting = new Map<string, Waiting[]>();

  constructor(private readonly db: PrismaClient) {}

  write<T>(workspaceId: string, work: (tx: Sql) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const item: Waiting = { work, resolve: resolve as (value: unknown) => void, reject };
      const queue = this.waiting.get(workspaceId);
      if (queue) {
        queue.push(item);
        return;
      }
      this.waiting.set(workspaceId, [item]);
      void this.drain(workspaceId);
    });
  }

  private async drain(workspaceId: string) {
    const queue = this.waiting.get(workspaceId)!;
    while (queue.length > 0) {
      const failure = await this.writeTogether(queue.splice(0, MAX_PER_TRANSACTION));
      // The database cannot take this workspace's writes now (stalled, locked, unreachable): the
      // writes still waiting get the same answer at once, not one timeout after another.
      if (failure !== undefined && isDatabaseUnavailable(failure)) for (const { reject } of queue.splice(0)) reject(failure);
    }
    this.waiting.delete(workspaceId);
  }

  /** Runs the writes in one transaction and answers each; returns the transaction's own failure. */
  private async writeTogether(turn: Waiting[]): Promise<unknown> {
    if (turn.length === 1) {
      const [only] = turn as [Waiting];
      try {
        only.resolve(await withTransaction(this.db, only.work));
      } catch (error) {
        only.reject(error);
        return error;
      }
      return undefined;
    }
    let outcomes: Outcome[] = [];
    try {
      await withTransaction(this.db, async (tx) => {
        // A retried transaction (a conflict) runs every write again.
        outcomes = [];
        for (const { work } of turn) {
          await tx.query('SAVEPOINT workspace_write', []);
          try {
            outcomes.push({ ok: true, value: await work(tx) });
            await tx.query('RELEASE SAVEPOINT workspace_write', []);
          } catch (error) {
            // A conflict is the transaction's, retried whole, and a database that cannot answer
            // fails them all; anything else is this write's alone.
            if (isConflict(error) || isDatabaseUnavailable(error)) throw error;
            await tx.query('ROLLBACK TO SAVEPOINT workspace_write', []);
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const { reject } of turn) reject(error);
      return error;
    }
    turn.forEach(({ resolve, reject }, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) resolve(outcome.value);
      else reject(outcome.error);
    });
    return undefined;
  }
}
