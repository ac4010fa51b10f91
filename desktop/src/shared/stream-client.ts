import { STREAM_EVENT_TYPES } from '@tray-notify/contract/stream';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';
import { SseParser } from './sse.ts';
import type { StreamEvent } from './types.ts';

/** The part of `fetch` the stream needs: available in Node 20 (main process) and browsers alike. */
export type FetchLike = (
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal },
) => Promise<{
  ok: boolean;
  status: number;
  body: { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> } } | null;
}>;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>),
  setInterval: (fn, ms) => globalThis.setInterval(fn, ms),
  clearInterval: (h) => globalThis.clearInterval(h as ReturnType<typeof globalThis.setInterval>),
};

export type StreamState = 'idle' | 'connecting' | 'open' | 'down' | 'unauthorized';

export interface StreamClientOptions {
  fetch: FetchLike;
  baseUrl: () => string;
  getToken: () => string | null;
  onEvent: (event: StreamEvent) => void;
  onState?: (state: StreamState) => void;
  /** Called every `pollIntervalMs` while the stream is down, so counts stay fresh. */
  poll: () => Promise<void> | void;
  timers?: Timers;
  random?: () => number;
  pollIntervalMs?: number;
  /** The server sends a heartbeat every ~20 s; silence for this long means a dead connection (sleep, NAT drop). */
  idleTimeoutMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A connection counts as healthy (backoff starts over) only after staying open this long. */
  stableAfterMs?: number;
}

const KNOWN_EVENTS = new Set<string>(STREAM_EVENT_TYPES);

/**
 * One Server-Sent-Events connection to /api/notifications/stream with a Bearer token.
 * Resumes with Last-Event-ID, reconnects with exponential backoff and jitter, and polls
 * while it is down. Platform-neutral: fetch and timers are injected.
 */
export class StreamClient {
  private state: StreamState = 'idle';
  private lastId: string | null = null;
  private attempt = 0;
  private abort: AbortController | null = null;
  private retryTimer: unknown = null;
  private pollTimer: unknown = null;
  private idleTimer: unknown = null;
  private running = false;
  private generation = 0;
  private openedAt = 0;
  private readonly timers: Timers;
  private readonly random: () => number;

  constructor(private readonly opts: StreamClientOptions) {
    this.timers = opts.timers ?? realTimers;
    this.random = opts.random ?? Math.random;
  }

  get currentState(): StreamState {
    return this.state;
  }

  get lastEventId(): string | null {
    return this.lastId;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    void this.connect();
  }

  stop(): void {
    this.running = false;
    this.generation++;
    this.abort?.abort();
    this.abort = null;
    this.clearRetry();
    this.stopPolling();
    this.clearIdle();
    this.setState('idle');
  }

  /** Forget the resume point (after logout or a workspace switch). */
  resetResumePoint(): void {
    this.lastId = null;
  }

  /** Reconnect now, e.g. after the OS resumes from sleep or the network comes back. */
  reconnectNow(): void {
    if (!this.running) return;
    this.attempt = 0;
    this.clearRetry();
    this.generation++;
    this.abort?.abort();
    void this.connect();
  }

  private setState(s: StreamState): void {
    if (this.state === s) return;
    this.state = s;
    if (s === 'down') this.startPolling();
    if (s === 'open' || s === 'idle' || s === 'unauthorized') this.stopPolling();
    this.opts.onState?.(s);
  }

  private startPolling(): void {
    if (this.pollTimer !== null) return;
    this.pollTimer = this.timers.setInterval(() => {
      void Promise.resolve()
        .then(() => this.opts.poll())
        .catch(() => undefined);
    }, this.opts.pollIntervalMs ?? 60_000);
  }

  private stopPolling(): void {
    if (this.pollTimer === null) return;
    this.timers.clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  private clearRetry(): void {
    if (this.retryTimer === null) return;
    this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private clearIdle(): void {
    if (this.idleTimer === null) return;
    this.timers.clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private armIdle(controller: AbortController): void {
    this.clearIdle();
    this.idleTimer = this.timers.setTimeout(() => controller.abort(), this.opts.idleTimeoutMs ?? 45_000);
  }

  private scheduleRetry(): void {
    if (!this.running) return;
    this.setState('down');
    const delay = backoffDelay(this.attempt, {
      baseMs: this.opts.baseDelayMs ?? DEFAULT_BACKOFF.baseMs,
      maxMs: this.opts.maxDelayMs ?? DEFAULT_BACKOFF.maxMs,
      random: this.random,
    });
    this.attempt++;
    this.clearRetry();
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }

  private async connect(): Promise<void> {
    const gen = ++this.generation;
    const token = this.opts.getToken();
    if (!token) {
      this.setState('unauthorized');
      this.running = false;
      return;
    }
    if (this.state !== 'down') this.setState('connecting');
    const controller = new AbortController();
    this.abort = controller;
    const headers: Record<string, string> = { Accept: 'text/event-stream', Authorization: `Bearer ${token}` };
    if (this.lastId) headers['Last-Event-ID'] = this.lastId;
    try {
      this.armIdle(controller);
      const res = await this.opts.fetch(`${this.opts.baseUrl().replace(/\/+$/, '')}/api/notifications/stream`, {
        headers,
        signal: controller.signal,
      });
      if (gen !== this.generation) return;
      if (res.status === 401) {
        this.clearIdle();
        this.running = false;
        this.setState('unauthorized');
        return;
      }
      if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
      this.setState('open');
      this.openedAt = Date.now();
      // A stream without a resume point starts at the present: whatever was loaded before it
      // opened may lack what happened in between, so listeners refetch as after a server resync.
      if (!headers['Last-Event-ID']) this.opts.onEvent({ type: 'resync', id: null, data: {} });
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      const parser = new SseParser();
      for (;;) {
        const { done, value } = await reader.read();
        if (gen !== this.generation) {
          await reader.cancel().catch(() => undefined);
          return;
        }
        if (done) break;
        this.armIdle(controller);
        for (const msg of parser.push(decoder.decode(value, { stream: true }))) {
          if (msg.id !== null) this.lastId = msg.id;
          if (!KNOWN_EVENTS.has(msg.event)) continue;
          let data: unknown;
          try {
            data = msg.data ? JSON.parse(msg.data) : {};
          } catch {
            continue;
          }
          this.opts.onEvent({ type: msg.event, id: msg.id, data } as StreamEvent);
        }
      }
      throw new Error('stream ended');
    } catch {
      if (gen !== this.generation) return;
      this.clearIdle();
      // A server that accepts and drops at once must not be hammered: only a connection that
      // stayed up for a while resets the backoff.
      if (this.openedAt && Date.now() - this.openedAt >= (this.opts.stableAfterMs ?? 20_000)) this.attempt = 0;
      this.openedAt = 0;
      this.scheduleRetry();
    }
  }
}
