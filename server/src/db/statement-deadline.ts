import pg from 'pg';

/** How often the watchdog looks at the statements in flight. */
const TICK_MS = 250;

/** pg's internals the watchdog reads: the statement a client is running, and its socket. */
interface ClientInternals {
  _activeQuery: object | null;
  connection: { stream: { destroy(): void } };
}

/**
 * A pg Client class whose statements are bounded by one shared watchdog rather than pg's
 * `query_timeout`, which arms a timer per statement that holds the statement and its rows:
 * at the server's rates that moved results into V8's old generation (bench:ingest, 100-event
 * batches: 10.1 ms of server CPU per call with it, 6.2 ms with this). The watchdog samples
 * each client's statement in flight; one still running `deadlineMs` later (give or take a
 * tick) gets its connection closed, so the statement fails with "Connection terminated" (a
 * 503 for requests) and the pool replaces the connection. A hung database then fails
 * requests within seconds instead of holding them.
 */
export function clientWithStatementDeadline(deadlineMs: number): typeof pg.Client {
  const clients = new Set<pg.Client>();
  const seen = new WeakMap<pg.Client, { statement: object; since: number }>();
  let timer: NodeJS.Timeout | undefined;

  const check = () => {
    const now = Date.now();
    for (const client of clients) {
      const internals = client as unknown as ClientInternals;
      const statement = internals._activeQuery;
      if (!statement) {
        seen.delete(client);
        continue;
      }
      const watched = seen.get(client);
      if (watched?.statement !== statement) seen.set(client, { statement, since: now });
      else if (now - watched.since >= deadlineMs) {
        seen.delete(client);
        internals.connection.stream.destroy();
      }
    }
  };

  return class DeadlineClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      clients.add(this);
      // A closed connection errors its statements; the pool drops the client when it comes back.
      this.on('error', () => {});
      this.once('end', () => {
        clients.delete(this);
        if (clients.size === 0 && timer) timer = (clearInterval(timer), undefined);
      });
      if (!timer) {
        timer = setInterval(check, TICK_MS);
        timer.unref();
      }
    }
  };
}
