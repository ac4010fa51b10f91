export interface StreamHubOptions {
  /** SSE comment sent to every stream this often, so proxies keep idle connections open. */
  heartbeatMs: number;
  /** The `retry:` hint: how long a client waits before reconnecting. */
  retryMs: number;
  maxStreamsPerUser: number;
  /** A client whose unsent output grows past this is disconnected; it resumes from its last id. */
  maxBufferedBytes: number;
  /** How often open streams' sessions are re-checked (logout, revocation, expiry). */
  sessionCheckMs: number;
  /** Backoff of the LISTEN connection's reconnects, doubling from min to max. */
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** Events read from the log per query. */
  batchSize: number;
  /**
   * How often every open stream's head is checked against the log: the bound on how late an
   * event is whose wake-up was lost (a writer that died between its commit and its NOTIFY).
   */
  sweepMs: number;
}

export const DEFAULT_STREAM_OPTIONS: StreamHubOptions = {
  heartbeatMs: 20_000,
  retryMs: 3_000,
  maxStreamsPerUser: 10,
  maxBufferedBytes: 256 * 1024,
  sessionCheckMs: 10_000,
  reconnectMinMs: 100,
  reconnectMaxMs: 5_000,
  batchSize: 500,
  sweepMs: 5_000,
};

export interface StreamLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
