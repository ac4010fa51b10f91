import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import pg from 'pg';
import type { PrismaClient } from '../../db/prisma.ts';
import { tooManyRequests } from '../../lib/errors.ts';
import { unreadCount } from '../notifications/unread-count.ts';
import { STREAM_CHANNEL } from './append-stream-events.ts';
import { pruneStreamLog } from './prune-stream-log.ts';

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
  /** How long the event log is kept; a client resuming from further back gets `resync`. */
  retentionMs: number;
  pruneEveryMs: number;
  /** Backoff of the LISTEN connection's reconnects, doubling from min to max. */
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** Events read from the log per query. */
  batchSize: number;
}

export const DEFAULT_STREAM_OPTIONS: StreamHubOptions = {
  heartbeatMs: 20_000,
  retryMs: 3_000,
  maxStreamsPerUser: 10,
  maxBufferedBytes: 256 * 1024,
  sessionCheckMs: 10_000,
  retentionMs: 7 * 24 * 3600 * 1000,
  pruneEveryMs: 3600 * 1000,
  reconnectMinMs: 100,
  reconnectMaxMs: 5_000,
  batchSize: 500,
};

/** Lets an operator (and the tests) find this process's LISTEN connection in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'tray-notify stream listener';

interface HubLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Where a new stream starts reading the user's event log. */
export interface StreamStart {
  /** The last event the client already has; delivery continues after it. */
  after: bigint;
  /** The requested id was pruned or never existed: tell the client to refetch. */
  resync: boolean;
}

/** One open SSE response. Its writes are bounded: a client that stops reading is dropped. */
export class StreamConnection {
  /** Last event id written; undefined until the stream has started. */
  last: bigint | undefined;
  /** The response headers are out: until then nothing (not even a heartbeat) may be written. */
  started = false;
  closed = false;

  constructor(
    readonly userId: string,
    readonly sessionId: string,
    private readonly response: ServerResponse,
    private readonly maxBufferedBytes: number,
  ) {}

  write(chunk: string): boolean {
    if (this.closed || !this.started) return false;
    this.response.write(chunk);
    // writableLength is what the socket has not accepted yet: the client is not reading.
    if (this.response.writableLength > this.maxBufferedBytes) {
      this.close(true);
      return false;
    }
    return true;
  }

  /** Ends the response; `abort` drops it without flushing (the client is not reading anyway). */
  close(abort = false) {
    if (this.closed) return;
    this.closed = true;
    if (abort) this.response.destroy();
    else this.response.end();
  }
}

interface UserStreams {
  userId: string;
  streams: Set<StreamConnection>;
  /** A read of the log is running for this user; `dirty` asks it to go round again. */
  pumping: boolean;
  dirty: boolean;
}

interface LogRow {
  seq: bigint;
  frame: string;
}

/**
 * Delivers every user's event log (stream_events) to their open streams on this process.
 *
 * One dedicated PostgreSQL connection LISTENs for "user U has events up to N" (sent by
 * appendStreamEvents when a transaction commits); the hub then reads the events from the
 * log, once per user for all of that user's streams, and writes those each stream has not
 * had yet. NOTIFYs are lost while the LISTEN connection is down, so after every (re)connect
 * the hub reads the log for every open stream: the database is the source of truth, the
 * NOTIFY only a wake-up.
 */
export class StreamHub extends EventEmitter {
  readonly options: StreamHubOptions;
  private readonly users = new Map<string, UserStreams>();
  private listener: pg.Client | undefined;
  private reconnectDelay: number;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;

  constructor(
    private readonly db: PrismaClient,
    private readonly pgConfig: pg.ClientConfig,
    private readonly log: HubLogger,
    options: Partial<StreamHubOptions> = {},
  ) {
    super();
    this.options = { ...DEFAULT_STREAM_OPTIONS, ...options };
    this.reconnectDelay = this.options.reconnectMinMs;
  }

  async start() {
    await this.connectListener();
    const every = (ms: number, task: () => unknown) => {
      const timer = setInterval(task, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.options.heartbeatMs, () => this.heartbeat());
    every(this.options.sessionCheckMs, () => this.checkSessions());
    every(this.options.pruneEveryMs, () => this.prune());
  }

  /** Is the LISTEN connection up? (Readiness, and the tests.) */
  get listening() {
    return this.listener !== undefined;
  }

  get streamCount() {
    let count = 0;
    for (const user of this.users.values()) count += user.streams.size;
    return count;
  }

  /**
   * Registers a new stream for the user, or throws 429 when they already hold the maximum.
   * Synchronous, so concurrent requests cannot both take the last slot.
   */
  attach(userId: string, sessionId: string, response: ServerResponse): StreamConnection {
    let user = this.users.get(userId);
    if (user && user.streams.size >= this.options.maxStreamsPerUser) {
      throw tooManyRequests(
        `You already have ${this.options.maxStreamsPerUser} open streams; close one (e.g. another tab) first.`,
        this.options.retryMs / 1000,
      );
    }
    if (!user) {
      user = { userId, streams: new Set(), pumping: false, dirty: false };
      this.users.set(userId, user);
    }
    const connection = new StreamConnection(userId, sessionId, response, this.options.maxBufferedBytes);
    user.streams.add(connection);
    response.once('close', () => this.detach(connection));
    return connection;
  }

  detach(connection: StreamConnection) {
    connection.close();
    const user = this.users.get(connection.userId);
    if (!user) return;
    user.streams.delete(connection);
    if (user.streams.size === 0 && !user.pumping) this.users.delete(connection.userId);
  }

  /**
   * Where to start for a client that already has `lastEventId` (undefined: a fresh client,
   * which starts at the present). Events after it are replayable only if the log still holds
   * the one right after it; an id from the future (another database, a bug) is unknown.
   */
  async startFor(userId: string, lastEventId: string | undefined): Promise<StreamStart> {
    const [row] = await this.db.$queryRaw<{ head: bigint; oldest: bigint | null }[]>`
      SELECT u.stream_seq AS head, (SELECT min(e.seq) FROM stream_events e WHERE e.user_id = u.id) AS oldest
        FROM users u WHERE u.id = ${userId}::uuid`;
    const head = row?.head ?? 0n;
    if (lastEventId === undefined) return { after: head, resync: false };
    if (!/^\d{1,19}$/.test(lastEventId)) return { after: head, resync: true };
    const after = BigInt(lastEventId);
    if (after === head) return { after, resync: false };
    if (after > head || row?.oldest == null || row.oldest > after + 1n) return { after: head, resync: true };
    return { after, resync: false };
  }

  /** Starts delivery on an attached stream whose response headers have been sent. */
  begin(connection: StreamConnection, start: StreamStart) {
    if (connection.closed) return;
    connection.started = true;
    connection.write(`retry: ${this.options.retryMs}\n\n`);
    if (start.resync) connection.write(frame(start.after, 'resync', '{}'));
    connection.last = start.after;
    void this.sendUnreadCount([connection]);
    const user = this.users.get(connection.userId);
    if (user) void this.pump(user);
  }

  /** Ends every open stream (the server is shutting down); clients reconnect elsewhere. */
  closeStreams() {
    for (const user of this.users.values()) for (const connection of user.streams) connection.close();
  }

  async close() {
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    clearTimeout(this.reconnectTimer);
    this.closeStreams();
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => {});
  }

  // --- LISTEN connection ------------------------------------------------------------------

  private async connectListener() {
    if (this.closed) return;
    const client = new pg.Client({ ...this.pgConfig, application_name: LISTENER_APPLICATION_NAME, keepAlive: true });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      this.listenerLost(client, error);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel === STREAM_CHANNEL && message.payload) this.onNotify(message.payload);
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
    this.listener = client;
    this.reconnectDelay = this.options.reconnectMinMs;
    this.emit('listening');
    // Whatever was committed while nobody listened is only in the log: read it for every stream.
    for (const user of this.users.values()) void this.pump(user);
  }

  private listenerLost(client: pg.Client, error?: Error) {
    if (this.listener === client) this.listener = undefined;
    client.end().catch(() => {});
    if (this.closed) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(delay * 2, this.options.reconnectMaxMs);
    this.log.warn({ err: error, retryInMs: delay }, 'stream LISTEN connection lost; reconnecting');
    this.emit('listener-lost');
    clearTimeout(this.reconnectTimer);
    // Jitter, so that many instances do not reconnect to a restarted database in lockstep.
    this.reconnectTimer = setTimeout(() => void this.connectListener(), delay * (0.75 + Math.random() / 2));
    this.reconnectTimer.unref();
  }

  /** Payload: "<userId>:<last seq>,..." for the users a committed transaction wrote events for. */
  private onNotify(payload: string) {
    for (const entry of payload.split(',')) {
      const [userId, seq] = entry.split(':');
      const user = userId ? this.users.get(userId) : undefined;
      if (!user || !seq || !/^\d+$/.test(seq)) continue;
      const head = BigInt(seq);
      // Skip the read when every stream already has it (a read that ran after the commit).
      for (const connection of user.streams) {
        if (connection.last !== undefined && connection.last < head) {
          void this.pump(user);
          break;
        }
      }
    }
  }

  // --- delivery ---------------------------------------------------------------------------

  /**
   * Reads the user's log after the furthest-behind stream and writes each stream what it
   * lacks, in order. One read at a time per user: a wake-up during a read makes it go round
   * again, so nothing committed is missed and nothing is written twice.
   */
  private async pump(user: UserStreams): Promise<void> {
    if (user.pumping) {
      user.dirty = true;
      return;
    }
    user.pumping = true;
    try {
      do {
        user.dirty = false;
        if (this.closed) return;
        const ready = [...user.streams].filter((stream) => stream.last !== undefined && !stream.closed);
        if (ready.length === 0) break;
        const after = ready.reduce((min, stream) => (stream.last! < min ? stream.last! : min), ready[0]!.last!);
        const rows = await this.readLog(user.userId, after);
        if (rows.length === this.options.batchSize) user.dirty = true;
        if (rows.length === 0) continue;
        const advanced: StreamConnection[] = [];
        for (const stream of ready) {
          let wrote = false;
          for (const row of rows) {
            if (stream.closed || row.seq <= stream.last!) continue;
            // Sequences have no holes, so a jump means the rows in between were pruned.
            if (row.seq > stream.last! + 1n) stream.write(frame(row.seq - 1n, 'resync', '{}'));
            stream.write(row.frame);
            stream.last = row.seq;
            wrote = true;
          }
          if (wrote && !stream.closed) advanced.push(stream);
        }
        await this.sendUnreadCount(advanced);
      } while (user.dirty);
    } catch (error) {
      if (this.closed) return;
      // The database hiccupped: try again shortly; the streams keep their positions.
      this.log.error({ err: error, userId: user.userId }, 'reading the stream log failed; retrying');
      setTimeout(() => void this.pump(user), 1_000).unref();
    } finally {
      user.pumping = false;
      if (user.streams.size === 0) this.users.delete(user.userId);
    }
  }

  private async readLog(userId: string, after: bigint): Promise<LogRow[]> {
    const rows = await this.db.streamEvent.findMany({
      where: { userId, seq: { gt: after } },
      select: { seq: true, type: true, data: true },
      orderBy: { seq: 'asc' },
      take: this.options.batchSize,
    });
    return rows.map((row) => ({ seq: row.seq, frame: frame(row.seq, row.type, JSON.stringify(row.data)) }));
  }

  /** The unread count after the events just written, once per user, to the streams that got them. */
  private async sendUnreadCount(streams: StreamConnection[]) {
    if (streams.length === 0) return;
    try {
      const data = JSON.stringify(await unreadCount(this.db, streams[0]!.userId));
      for (const stream of streams) stream.write(frame(stream.last!, 'unread_count', data));
    } catch (error) {
      if (!this.closed) this.log.error({ err: error }, 'counting unread notifications failed');
    }
  }

  // --- periodic work ----------------------------------------------------------------------

  private heartbeat() {
    for (const user of this.users.values()) for (const stream of user.streams) stream.write(':\n\n');
  }

  /** Closes streams whose session was logged out, revoked or has expired. */
  async checkSessions() {
    const bySession = new Map<string, StreamConnection[]>();
    for (const user of this.users.values()) {
      for (const stream of user.streams) bySession.set(stream.sessionId, [...(bySession.get(stream.sessionId) ?? []), stream]);
    }
    const ids = [...bySession.keys()];
    try {
      for (let i = 0; i < ids.length; i += 1000) {
        const chunk = ids.slice(i, i + 1000);
        const live = await this.db.session.findMany({
          where: { id: { in: chunk }, revokedAt: null, expiresAt: { gt: new Date() } },
          select: { id: true },
        });
        const liveIds = new Set(live.map((session) => session.id));
        for (const id of chunk) if (!liveIds.has(id)) for (const stream of bySession.get(id)!) this.detach(stream);
      }
    } catch (error) {
      if (!this.closed) this.log.error({ err: error }, 'checking stream sessions failed');
    }
  }

  private async prune() {
    try {
      const result = await pruneStreamLog(this.db, new Date(Date.now() - this.options.retentionMs));
      if (result.events > 0 || result.tickets > 0) this.log.info(result, 'pruned the stream log');
    } catch (error) {
      if (!this.closed) this.log.error({ err: error }, 'pruning the stream log failed');
    }
  }
}

function frame(id: bigint, event: string, data: string) {
  return `id: ${id}\nevent: ${event}\ndata: ${data}\n\n`;
}
