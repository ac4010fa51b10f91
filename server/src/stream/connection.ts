import type { ServerResponse } from 'node:http';
import { frameOf } from './frame.ts';
import type { LoggedEvent } from './stream-log.ts';

/** One open SSE response. Its writes are bounded: a client that stops reading is dropped. */
export class StreamConnection {
  /** Last event id written; undefined until the stream has started. */
  last: bigint | undefined;
  /** The response headers are out: until then nothing (not even a heartbeat) may be written. */
  started = false;
  /** Its row in stream_leases, which counts it against the user's cap on every instance. */
  leaseId: string | undefined;
  closed = false;

  constructor(
    readonly userId: string,
    readonly sessionId: string,
    private readonly response: ServerResponse,
    private readonly maxBufferedBytes: number,
    /** Set: only this workspace's events go out (an embedded bell's session). */
    readonly workspaceId?: string,
  ) {}

  /** Begins the event stream: the reconnect hint, and `resync` when the client must refetch. */
  start(after: bigint, resync: boolean, retryMs: number) {
    if (this.closed) return;
    this.started = true;
    this.write(`retry: ${retryMs}\n\n`);
    if (resync) this.write(frameOf(after, 'resync', {}));
    this.last = after;
  }

  write(chunk: string): boolean {
    if (this.closed || !this.started) return false;
    this.response.write(chunk);
    return true;
  }

  /**
   * Writes the events after `last`, in order. Sequences have no holes, so a jump means the
   * rows in between were pruned: the client gets `resync` first. Events of another workspace
   * than the stream's are passed over (not a jump). True when it wrote any.
   */
  deliver(events: LoggedEvent[]): boolean {
    let wrote = false;
    for (const event of events) {
      if (this.closed || event.seq <= this.last!) continue;
      if (event.seq > this.last! + 1n) this.write(frameOf(event.seq - 1n, 'resync', {}));
      if (this.workspaceId && event.workspaceId !== this.workspaceId) {
        this.last = event.seq;
        continue;
      }
      this.write(event.frame);
      this.last = event.seq;
      wrote = true;
    }
    return wrote && !this.closed;
  }

  /** An SSE comment, so proxies keep an idle connection open; skipped for a client not reading. */
  heartbeat() {
    if (this.keepingUp()) this.write(':\n\n');
  }

  /**
   * Called before each round of writes: output from earlier rounds that the socket still has
   * not taken means the client is not reading. It is dropped rather than buffered for (it
   * resumes from its last id). Checking between rounds, not after each write, lets one large
   * event through to a client that reads.
   */
  keepingUp(): boolean {
    if (this.closed) return false;
    if (this.response.writableLength <= this.maxBufferedBytes) return true;
    this.close(true);
    return false;
  }

  /** Ends the response; `abort` drops it without flushing (the client is not reading anyway). */
  close(abort = false) {
    if (this.closed) return;
    this.closed = true;
    if (abort) this.response.destroy();
    else this.response.end();
  }
}
