import pg from 'pg';
import { STREAM_CHANNEL } from './append-stream-events.ts';
import type { StreamLogger } from './options.ts';
import { onStreamHeads, parseHeads, type StreamHead } from './wake-ups.ts';

/** Lets an operator (and the tests) find a process's notifying connection in pg_stat_activity. */
export const NOTIFIER_APPLICATION_NAME = 'tray-notify stream notifier';

/** A head not announced yet: `committed` ones go out on the next round, the others once visible. */
interface Waiting extends StreamHead {
  committed: boolean;
  since: number;
  attempts: number;
  dueAt: number;
}

/** First look at a head whose transaction may still be open, then doubling up to the cap. */
const FIRST_CHECK_MS = 2;
const MAX_CHECK_MS = 250;
/** A head not visible by then was rolled back (or its transaction runs long): the hubs' sweep covers it. */
const GIVE_UP_MS = 10_000;
const RETRY_AFTER_ERROR_MS = 1_000;

/**
 * Announces, after commit, the stream heads this process's writers appended
 * (announceStreamHeads): to `onVisible` (the hub of this process, if any) and, with one NOTIFY
 * statement per round, to every other process. Heads arriving while a round runs share the
 * next one, so a busy process sends few notifying commits, each of its own connection with
 * synchronous_commit off: it writes nothing worth a WAL flush, so the queue's lock is held
 * for a moment instead of through a disk flush. Heads whose transaction may still be open are
 * first checked against `users.stream_seq` (a committed head is visible; a rolled-back one
 * never becomes so and is dropped after GIVE_UP_MS).
 */
export class StreamNotifier {
  private readonly pool: pg.Pool;
  private waiting: Waiting[] = [];
  private running = false;
  /** When the next round is set to run, and how to call it off for an earlier one. */
  private roundAt: number | undefined;
  private cancelRound: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;
  private closed = false;
  /** The backend pid of the connection that NOTIFYs, so the listener here can skip its own echo. */
  backendPid: number | undefined;

  constructor(
    pgConfig: pg.ClientConfig,
    private readonly log: StreamLogger,
    private readonly onVisible: (heads: StreamHead[]) => void = () => {},
  ) {
    this.pool = new pg.Pool({
      ...pgConfig,
      max: 1,
      application_name: NOTIFIER_APPLICATION_NAME,
      options: [pgConfig.options, '-c synchronous_commit=off'].filter(Boolean).join(' '),
    });
    this.pool.on('connect', (client) => (this.backendPid = (client as pg.Client & { processID?: number }).processID));
    this.pool.on('error', (error) => this.log.warn({ err: error }, 'stream notifier connection failed'));
  }

  start() {
    this.unsubscribe ??= onStreamHeads((heads, committed) => this.add(heads, committed));
  }

  async close() {
    this.closed = true;
    this.unsubscribe?.();
    this.cancelRound?.();
    await this.pool.end().catch(() => {});
  }

  private add(heads: StreamHead[], committed: boolean) {
    if (this.closed) return;
    // Committed: this process's streams can read them now, without waiting for the round.
    if (committed) this.onVisible(heads);
    const now = performance.now();
    const dueAt = committed ? now : now + FIRST_CHECK_MS;
    for (const head of heads) this.waiting.push({ ...head, committed, since: now, attempts: 0, dueAt });
    this.schedule();
  }

  private schedule() {
    if (this.running || this.closed || this.waiting.length === 0) return;
    const dueAt = this.waiting.reduce((earliest, head) => Math.min(earliest, head.dueAt), Infinity);
    if (this.roundAt !== undefined && this.roundAt <= dueAt) return;
    this.cancelRound?.();
    this.roundAt = dueAt;
    const run = () => {
      this.roundAt = undefined;
      this.cancelRound = undefined;
      void this.round();
    };
    const delay = dueAt - performance.now();
    if (delay <= 0) {
      // Whatever else this turn of the event loop announces goes in the same round.
      const immediate = setImmediate(run);
      this.cancelRound = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(run, delay);
      timer.unref();
      this.cancelRound = () => clearTimeout(timer);
    }
  }

  /** One statement: which of the due heads are visible, and a NOTIFY of those. */
  private async round() {
    if (this.running || this.closed) return;
    this.running = true;
    const now = performance.now();
    const due = this.waiting.filter((head) => head.dueAt <= now);
    this.waiting = this.waiting.filter((head) => head.dueAt > now);
    try {
      if (due.length === 0) return;
      const { rows } = await this.pool.query<{ visible: string | null }>({
        name: 'stream-notify',
        text: NOTIFY_VISIBLE_HEADS,
        values: [due.map((head) => head.userId), due.map((head) => String(head.seq))],
      });
      const visible = new Map(parseHeads(rows[0]?.visible).map((head) => [head.userId, head.seq]));
      const later = performance.now();
      const announced: StreamHead[] = [];
      for (const head of due) {
        const seq = visible.get(head.userId);
        if (seq !== undefined && seq >= head.seq) {
          if (!head.committed) announced.push({ userId: head.userId, seq });
        } else if (!head.committed && later - head.since < GIVE_UP_MS) {
          head.attempts++;
          head.dueAt = later + Math.min(FIRST_CHECK_MS * 2 ** head.attempts, MAX_CHECK_MS);
          this.waiting.push(head);
        }
        // A committed head not visible belongs to another database (or a deleted user): dropped.
      }
      if (announced.length > 0) this.onVisible(announced);
    } catch (error) {
      if (this.closed) return;
      this.log.warn({ err: error }, 'announcing stream heads failed; retrying');
      const retryAt = performance.now() + RETRY_AFTER_ERROR_MS;
      for (const head of due) if (now - head.since < GIVE_UP_MS) this.waiting.push({ ...head, dueAt: retryAt });
    } finally {
      this.running = false;
      this.schedule();
    }
  }
}

/**
 * $1 user ids, $2 the seq each must have reached. Notifies each visible user's committed head
 * (one NOTIFY per 100 users: "<uuid>:<seq>" is at most ~58 bytes, payloads must stay under
 * 8000) and returns the same list.
 */
const NOTIFY_VISIBLE_HEADS = `
  WITH wanted AS (SELECT * FROM unnest($1::uuid[], $2::bigint[]) AS w(user_id, seq)),
  visible AS (
    SELECT u.id, u.stream_seq FROM users u
     WHERE u.id IN (SELECT user_id FROM wanted)
       AND u.stream_seq >= (SELECT min(w.seq) FROM wanted w WHERE w.user_id = u.id)),
  chunks AS (
    SELECT string_agg(id || ':' || stream_seq, ',') AS heads
      FROM (SELECT id, stream_seq, (row_number() OVER () - 1) / 100 AS chunk FROM visible) numbered
     GROUP BY chunk)
  SELECT (SELECT count(pg_notify('${STREAM_CHANNEL}', heads)) FROM chunks)::int AS notified,
         (SELECT string_agg(id || ':' || stream_seq, ',') FROM visible) AS visible`;
