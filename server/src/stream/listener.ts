import pg from 'pg';
import { STREAM_CHANNEL } from './append-stream-events.ts';
import type { StreamLogger } from './options.ts';
import { parseHeads, type StreamHead } from './wake-ups.ts';

/** Lets an operator (and the tests) find this process's LISTEN connection in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'tray-notify stream listener';

export interface ListenerEvents {
  /** "user U has events up to N", for users a committed transaction wrote events for; `senderPid` is the notifying backend. */
  onHeads(heads: StreamHead[], senderPid: number): void;
  /** The connection is (again) listening: NOTIFYs sent while it was down are lost. */
  onConnected(): void;
  onLost(): void;
}

/**
 * One dedicated PostgreSQL connection that LISTENs on the stream channel and reconnects with
 * jittered exponential backoff whenever it drops.
 */
export class StreamListener {
  private client: pg.Client | undefined;
  private delay: number;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly pgConfig: pg.ClientConfig,
    private readonly backoff: { minMs: number; maxMs: number },
    private readonly events: ListenerEvents,
    private readonly log: StreamLogger,
  ) {
    this.delay = backoff.minMs;
  }

  get listening() {
    return this.client !== undefined;
  }

  async connect() {
    if (this.closed) return;
    // TCP keepalive, so that a connection silently dropped by the network is noticed too.
    const client = new pg.Client({
      ...this.pgConfig,
      application_name: LISTENER_APPLICATION_NAME,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      this.lost(client, error);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel === STREAM_CHANNEL && message.payload) this.events.onHeads(parseHeads(message.payload), message.processId);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${STREAM_CHANNEL}`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (this.closed || lost) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.delay = this.backoff.minMs;
    this.events.onConnected();
  }

  async close() {
    this.closed = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private lost(client: pg.Client, error?: Error) {
    if (this.client === client) this.client = undefined;
    client.end().catch(() => {});
    if (this.closed) return;
    const delay = this.delay;
    this.delay = Math.min(delay * 2, this.backoff.maxMs);
    this.log.warn({ err: error, retryInMs: delay }, 'stream LISTEN connection lost; reconnecting');
    this.events.onLost();
    clearTimeout(this.timer);
    // Jitter, so that many instances do not reconnect to a restarted database in lockstep.
    this.timer = setTimeout(() => void this.connect(), delay * (0.75 + Math.random() / 2));
    this.timer.unref();
  }
}
