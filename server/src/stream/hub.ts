import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import pg from 'pg';
import { tooManyRequests } from '../lib/errors.ts';
import type { UnreadCount } from '@tray-notify/contract';
import { StreamConnection } from './connection.ts';
import { frameOf } from './frame.ts';
import { StreamLeases } from './leases.ts';
import { StreamListener } from './listener.ts';
import { StreamNotifier } from './notifier.ts';
import { DEFAULT_STREAM_OPTIONS, type StreamHubOptions, type StreamLogger } from './options.ts';
import { readStreamEvents, type StreamStart, streamStart } from './stream-log.ts';
import type { StreamHead } from './wake-ups.ts';

interface UserStreams {
  userId: string;
  streams: Set<StreamConnection>;
}

/**
 * Delivers every user's event log (stream_events) to their open streams on this process.
 *
 * It learns "user U has events up to N" from this process's writers once they commit (the
 * notifier), from other processes through the listener's NOTIFYs, and from a sweep of its
 * users' heads every few seconds; it then reads the events from the log, for all of a user's
 * streams at once, and writes each stream those it has not had yet. A wake-up can be lost
 * (the LISTEN connection down, a writer gone between its commit and its NOTIFY): after every
 * (re)connect the hub reads the log for every open stream, and the sweep finds whatever else
 * was missed. The database is the source of truth, the wake-up only a hint.
 *
 * Emits 'listening' and 'listener-lost' as the LISTEN connection comes and goes.
 */
/** Each viewer's counts, in the order asked: a user's, or one workspace's part of them. */
export type UnreadCountReader = (
  reader: Pick<pg.Pool, 'query'>,
  viewers: ReadonlyArray<{ userId: string; workspaceId?: string }>,
) => Promise<UnreadCount[]>;

export class StreamHub extends EventEmitter {
  readonly options: StreamHubOptions;
  private readonly users = new Map<string, UserStreams>();
  /**
   * Plain pg connections for the per-delivery reads (log, unread count): through Prisma they
   * cost ~1 ms of CPU each, which at hundreds of deliveries a second was most of the server.
   */
  private readonly reader: pg.Pool;
  private readonly listener: StreamListener;
  private readonly notifier: StreamNotifier;
  private readonly leases: StreamLeases;
  private readonly timers: NodeJS.Timeout[] = [];
  /** Users whose log may hold events their streams lack; read by the next flush. */
  private readonly dirty = new Set<UserStreams>();
  private flushing = false;
  private sweeping = false;
  private closed = false;

  constructor(
    pgConfig: pg.ClientConfig,
    /** The notification counters live with the notification services; the hub only delivers them. */
    private readonly readUnreadCounts: UnreadCountReader,
    private readonly log: StreamLogger,
    options: Partial<StreamHubOptions> = {},
  ) {
    super();
    this.options = { ...DEFAULT_STREAM_OPTIONS, ...options };
    this.reader = new pg.Pool({ ...pgConfig, max: 6 });
    this.reader.on('error', (error) => this.log.warn({ err: error }, 'stream reader connection failed'));
    this.leases = new StreamLeases(this.reader, this.options, log);
    this.notifier = new StreamNotifier(pgConfig, log, (heads) => this.onHeads(heads));
    this.listener = new StreamListener(
      pgConfig,
      { minMs: this.options.reconnectMinMs, maxMs: this.options.reconnectMaxMs },
      {
        // This process's own NOTIFYs: its streams had those heads from the notifier directly.
        onHeads: (heads, senderPid) => senderPid !== this.notifier.backendPid && this.onHeads(heads),
        onConnected: () => {
          this.emit('listening');
          // Whatever was committed while nobody listened is only in the log: read it for every stream.
          for (const user of this.users.values()) this.wake(user);
        },
        onLost: () => this.emit('listener-lost'),
      },
      log,
    );
  }

  async start() {
    this.notifier.start();
    await this.listener.connect();
    const every = (ms: number, task: () => unknown) => {
      const timer = setInterval(task, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.options.heartbeatMs, () => this.heartbeat());
    every(this.options.sessionCheckMs, () => this.checkSessions());
    every(this.options.sweepMs, () => this.sweep());
  }

  /** Is the LISTEN connection up? (Readiness, and the tests.) */
  get listening() {
    return this.listener.listening;
  }

  get streamCount() {
    let count = 0;
    for (const user of this.users.values()) count += user.streams.size;
    return count;
  }

  /**
   * Registers a new stream for the user, or throws 429 when they already hold the maximum,
   * counted over every instance (stream_leases). The local count is checked first and
   * synchronously, so concurrent requests on this instance cannot both take the last slot.
   * With `workspaceId` the stream carries only that workspace's events and counts.
   */
  async attach(userId: string, sessionId: string, response: ServerResponse, workspaceId?: string): Promise<StreamConnection> {
    let user = this.users.get(userId);
    if (user && user.streams.size >= this.options.maxStreamsPerUser) throw this.tooManyStreams();
    if (!user) {
      user = { userId, streams: new Set() };
      this.users.set(userId, user);
    }
    const connection = new StreamConnection(userId, sessionId, response, this.options.maxBufferedBytes, workspaceId);
    user.streams.add(connection);
    response.once('close', () => this.detach(connection));
    let leaseId: string | undefined;
    try {
      leaseId = await this.leases.acquire(userId);
    } catch (error) {
      this.abandon(connection);
      throw error;
    }
    if (!leaseId) {
      this.abandon(connection);
      throw this.tooManyStreams();
    }
    connection.leaseId = leaseId;
    // The client may have gone while the lease was taken.
    if (connection.closed) this.leases.release([leaseId]);
    return connection;
  }

  /** Ends the stream's response and forgets it. */
  detach(connection: StreamConnection) {
    connection.close();
    this.forget(connection);
  }

  /**
   * Forgets a stream that never started, leaving its response alone: the request is
   * answered with an error (429, 500) instead.
   */
  abandon(connection: StreamConnection) {
    connection.closed = true;
    this.forget(connection);
  }

  private forget(connection: StreamConnection) {
    const user = this.users.get(connection.userId);
    if (user?.streams.delete(connection) && user.streams.size === 0) this.users.delete(connection.userId);
    if (connection.leaseId) {
      this.leases.release([connection.leaseId]);
      connection.leaseId = undefined;
    }
  }

  private tooManyStreams() {
    return tooManyRequests(
      `You already have ${this.options.maxStreamsPerUser} open streams; close one (e.g. another tab) first.`,
      this.options.retryMs / 1000,
    );
  }

  /** See streamStart. */
  startFor(userId: string, lastEventId: string | undefined): Promise<StreamStart> {
    return streamStart(this.reader, userId, lastEventId);
  }

  /** Starts delivery on an attached stream whose response headers have been sent. */
  begin(connection: StreamConnection, start: StreamStart) {
    if (connection.closed) return;
    connection.start(start.after, start.resync, this.options.retryMs);
    void this.sendInitialCount(connection);
    const user = this.users.get(connection.userId);
    if (user) this.wake(user);
  }

  /** Ends every open stream (the server is shutting down); clients reconnect elsewhere. */
  closeStreams() {
    for (const stream of this.allStreams()) stream.close();
  }

  async close() {
    const leases = this.leaseIds();
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.closeStreams();
    await this.leases.close(leases);
    await this.notifier.close();
    await this.listener.close();
    await this.reader.end().catch(() => {});
  }

  private *allStreams() {
    for (const user of this.users.values()) yield* user.streams;
  }

  private leaseIds() {
    return [...this.allStreams()].flatMap((stream) => (stream.leaseId ? [stream.leaseId] : []));
  }

  private onHeads(heads: StreamHead[]) {
    for (const { userId, seq } of heads) {
      const user = this.users.get(userId);
      // Skip the read when every stream already has it (a read that ran after the commit).
      if (user && [...user.streams].some((stream) => stream.last !== undefined && stream.last < seq)) this.wake(user);
    }
  }

  /** Marks the user's streams as possibly behind; one flush at a time reads for all such users. */
  private wake(user: UserStreams) {
    this.dirty.add(user);
    if (this.flushing) return;
    this.flushing = true;
    // Wake-ups arriving in the same tick (or while a flush runs) share its two queries, so
    // the cost per event falls as the load rises.
    setImmediate(() => void this.flush());
  }

  /**
   * Reads the log of every woken user after their furthest-behind stream and writes each
   * stream what it lacks, in order, then the users' new unread counts. Flushes never overlap,
   * so nothing is written twice; a wake-up during one is read by the next round.
   */
  private async flush(): Promise<void> {
    let taken: UserStreams[] = [];
    try {
      while (this.dirty.size > 0 && !this.closed) {
        taken = [...this.dirty].slice(0, 1000);
        for (const user of taken) this.dirty.delete(user);
        const work = taken
          .map((user) => ({ user, ready: [...user.streams].filter((stream) => stream.last !== undefined && !stream.closed) }))
          .filter((item) => item.ready.length > 0);
        if (work.length === 0) continue;
        const positions = work.map(({ user, ready }) => ({
          userId: user.userId,
          after: ready.reduce((min, stream) => (stream.last! < min ? stream.last! : min), ready[0]!.last!),
        }));
        const byUser = await readStreamEvents(this.reader, positions, this.options.batchSize);
        const advanced: StreamConnection[] = [];
        for (const { user, ready } of work) {
          const events = byUser.get(user.userId);
          if (!events) continue;
          if (events.length === this.options.batchSize) this.dirty.add(user);
          for (const stream of ready) if (stream.keepingUp() && stream.deliver(events)) advanced.push(stream);
        }
        await this.sendUnreadCounts(advanced);
      }
    } catch (error) {
      if (this.closed) return;
      // The database hiccupped: these users are read again shortly; streams keep their positions.
      for (const user of taken) this.dirty.add(user);
      this.log.error({ err: error }, 'reading the stream log failed; retrying');
      setTimeout(() => {
        const [first] = this.dirty;
        if (first) this.wake(first);
      }, 1_000).unref();
    } finally {
      this.flushing = false;
    }
  }

  /** Each stream's user's unread count after the events just written: one query for all users. */
  private async sendUnreadCounts(streams: StreamConnection[]) {
    if (streams.length === 0) return;
    const counts = await this.readUnreadCounts(this.reader, streams);
    streams.forEach((stream, index) => stream.write(frameOf(stream.last!, 'unread_count', counts[index]!)));
  }

  private async sendInitialCount(stream: StreamConnection) {
    try {
      await this.sendUnreadCounts([stream]);
    } catch (error) {
      if (!this.closed) this.log.error({ err: error }, 'counting unread notifications failed');
    }
  }

  /** Every open stream's user's committed head, one query for all: wakes whoever is behind. */
  private async sweep() {
    // With 10,000 users the query took 0.3-0.6 s on a busy machine: never two at once.
    if (this.users.size === 0 || this.sweeping) return;
    this.sweeping = true;
    try {
      const { rows } = await this.reader.query<{ id: string; stream_seq: string }>({
        name: 'stream-sweep',
        text: 'SELECT id, stream_seq FROM users WHERE id = ANY($1::uuid[])',
        values: [[...this.users.keys()]],
      });
      this.onHeads(rows.map((row) => ({ userId: row.id, seq: BigInt(row.stream_seq) })));
    } catch (error) {
      if (!this.closed) this.log.error({ err: error }, 'sweeping the stream heads failed');
    } finally {
      this.sweeping = false;
    }
  }

  private heartbeat() {
    for (const stream of this.allStreams()) stream.heartbeat();
    this.leases.renew(this.leaseIds());
  }

  /** Closes streams whose session was logged out, revoked or has expired. */
  async checkSessions() {
    const streams = [...this.allStreams()];
    if (streams.length === 0) return;
    try {
      const live = await this.leases.liveSessions([...new Set(streams.map((stream) => stream.sessionId))]);
      for (const stream of streams) if (!live.has(stream.sessionId)) this.detach(stream);
    } catch (error) {
      if (!this.closed) this.log.error({ err: error }, 'checking stream sessions failed');
    }
  }
}
