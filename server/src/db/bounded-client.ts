import pg from 'pg';
import { pgConfigFromUrl } from './connection.ts';

/**
 * How long the server lets the database keep it waiting. PostgreSQL enforces the first three
 * itself, per session: a statement past its timeout is cancelled in the database and fails
 * with an error while the connection stays usable, so a stall never costs the pool a
 * connection. Only a database that does not answer at all (a frozen process, a dead network)
 * is bounded on this side, by `noAnswerMs`.
 */
export interface DatabaseBounds {
  /** Waiting for a connection: a new one, or a free one from the pool. */
  connectTimeoutMs: number;
  /** PostgreSQL cancels a statement running longer (`statement_timeout`). */
  statementTimeoutMs: number;
  /** PostgreSQL cancels a statement waiting longer for a lock (`lock_timeout`). */
  lockTimeoutMs: number;
  /** PostgreSQL ends a session left idle inside a transaction this long (`idle_in_transaction_session_timeout`). */
  idleInTransactionTimeoutMs: number;
}

/** Past the statement timeout, how long a database that has not answered at all is waited for. */
const NO_ANSWER_GRACE_MS = 1_000;
/** How often PostgreSQL checks, while a statement runs, that the client is still connected (seconds-level reaction is enough). */
const CLIENT_CHECK_INTERVAL_MS = 1_000;

/** A pool's connection settings under the server's bounds; `name` shows in pg_stat_activity. */
export function boundedPoolConfig(databaseUrl: string, bounds: DatabaseBounds, name: string): pg.PoolConfig {
  return {
    ...pgConfigFromUrl(databaseUrl),
    application_name: name,
    connectionTimeoutMillis: bounds.connectTimeoutMs,
    statement_timeout: bounds.statementTimeoutMs,
    lock_timeout: bounds.lockTimeoutMs,
    idle_in_transaction_session_timeout: bounds.idleInTransactionTimeoutMs,
    // A statement whose client gave up (closed the connection) is ended by PostgreSQL within a second.
    options: `-c client_connection_check_interval=${CLIENT_CHECK_INTERVAL_MS}`,
    keepAlive: true,
    Client: clientAnsweredWithin(bounds.statementTimeoutMs + NO_ANSWER_GRACE_MS),
  };
}

/** How often the watchdog looks at the connections waiting for an answer. */
const TICK_MS = 250;

type Release = (error?: Error | boolean) => void;

/**
 * A pg Client class that closes its connection when the database has not answered for
 * `noAnswerMs` while statements wait: its statements then fail ("Connection terminated", a 503
 * for requests) and PostgreSQL ends the session on its side (client_connection_check_interval).
 * One shared timer samples every connection: a timer per statement (pg's `query_timeout`) kept
 * each statement and its rows alive into V8's old generation at the server's rates.
 *
 * A connection that closes while checked out of its pool goes back to the pool at once (which
 * drops it). Prisma's interactive transactions release their connection only after a
 * successful COMMIT or ROLLBACK, which a closed connection can never give: without this the
 * pool would lose the slot for good.
 */
export function clientAnsweredWithin(noAnswerMs: number): typeof pg.Client {
  const waiting = new Set<BoundedClient>();
  let timer: NodeJS.Timeout | undefined;

  const check = () => {
    const now = Date.now();
    for (const client of waiting) if (now - client.lastAnswerAt >= noAnswerMs) client.giveUp();
    if (waiting.size === 0 && timer) timer = (clearInterval(timer), undefined);
  };

  class BoundedClient extends pg.Client {
    /** When the database last answered a statement (or, while nothing was waiting, when the first one was sent). */
    lastAnswerAt = 0;
    private inFlight = 0;
    private returnToPool: Release | undefined;
    private checkedOut = false;

    constructor(config?: string | pg.ClientConfig) {
      super(config);
      // A closed connection errors its statements; the pool drops the client when it comes back.
      this.on('error', () => {});
      this.once('end', () => {
        waiting.delete(this);
        if (this.checkedOut) this.release(new Error('the database connection closed'));
      });
    }

    /** Set by the pool when it hands the client out. */
    set release(release: Release) {
      this.returnToPool = release;
      this.checkedOut = true;
    }

    /** Returns the client to its pool once, whoever calls it first (the holder, or the closing connection). */
    get release(): Release {
      return (error) => {
        if (!this.checkedOut) return;
        this.checkedOut = false;
        this.returnToPool?.(error);
      };
    }

    giveUp() {
      waiting.delete(this);
      // With a statement in flight pg closes the socket at once rather than waiting on the server.
      this.end().catch(() => {});
    }

    override query(...args: unknown[]): any {
      this.sent();
      let answered = false;
      const answer = () => {
        if (answered) return;
        answered = true;
        this.answered();
      };
      try {
        const callbackAt = args.findLastIndex((arg) => typeof arg === 'function');
        if (callbackAt >= 0) {
          const callback = args[callbackAt] as (...result: unknown[]) => void;
          args[callbackAt] = (...result: unknown[]) => (answer(), callback(...result));
          return (super.query as (...a: unknown[]) => unknown)(...args);
        }
        const result = (super.query as (...a: unknown[]) => unknown)(...args) as { then?: Function; once?: Function } | undefined;
        if (typeof result?.then === 'function') (result as Promise<unknown>).then(answer, answer);
        else if (typeof result?.once === 'function') {
          // A submittable (cursor, stream) reports its own end.
          result.once('end', answer);
          result.once('error', answer);
        } else answer();
        return result;
      } catch (error) {
        answer();
        throw error;
      }
    }

    private sent() {
      if (this.inFlight++ === 0) {
        this.lastAnswerAt = Date.now();
        waiting.add(this);
        if (!timer) {
          timer = setInterval(check, TICK_MS);
          timer.unref();
        }
      }
    }

    private answered() {
      this.lastAnswerAt = Date.now();
      if (--this.inFlight === 0) waiting.delete(this);
    }
  }
  return BoundedClient;
}
