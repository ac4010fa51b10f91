import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamClient, type FetchLike, type StreamState } from './stream-client.ts';
import type { StreamEvent } from './types.ts';

interface Conn {
  headers: Record<string, string>;
  push(text: string): void;
  drop(): void;
}

/** A fake server: each fetch is one connection the test can write to or drop. */
function fakeServer(statuses: number[] = []) {
  const conns: Conn[] = [];
  const fetch: FetchLike = async (_url, init) => {
    const status = statuses.shift() ?? 200;
    if (status === 0) throw new TypeError('fetch failed');
    let ctrl!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (ctrl = c) });
    init.signal.addEventListener('abort', () => ctrl.error(new Error('aborted')));
    conns.push({
      headers: init.headers,
      push: (t) => ctrl.enqueue(new TextEncoder().encode(t)),
      drop: () => ctrl.error(new Error('connection reset')),
    });
    return { ok: status >= 200 && status < 300, status, body };
  };
  return { conns, fetch };
}

function setup(statuses: number[] = []) {
  const server = fakeServer(statuses);
  const events: StreamEvent[] = [];
  const states: StreamState[] = [];
  const poll = vi.fn();
  const client = new StreamClient({
    fetch: server.fetch,
    baseUrl: () => 'http://server.test/',
    getToken: () => 'tok',
    onEvent: (e) => events.push(e),
    onState: (s) => states.push(s),
    poll,
    random: () => 0.5,
  });
  return { ...server, events, states, poll, client };
}

describe('StreamClient', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('delivers typed events and sends the bearer token', async () => {
    const t = setup();
    t.client.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.conns[0]?.headers.Authorization).toBe('Bearer tok');
    t.conns[0]?.push('id: 1\nevent: unread_count\ndata: {"count":4,"by_workspace":{"w":4}}\n\n: ping\n\nevent: other\ndata: {}\n\n');
    await vi.advanceTimersByTimeAsync(0);
    expect(t.events).toEqual([
      // A first stream starts at the present: listeners refetch what they loaded before it.
      { type: 'resync', id: null, data: {} },
      { type: 'unread_count', id: '1', data: { count: 4, by_workspace: { w: 4 } } },
    ]);
    expect(t.states).toEqual(['connecting', 'open']);
    t.client.stop();
  });

  it('a stream resumed with Last-Event-ID does not ask listeners to refetch', async () => {
    const t = setup();
    t.client.start();
    await vi.advanceTimersByTimeAsync(0);
    t.conns[0]?.push('id: 7\nevent: unread_count\ndata: {"count":1,"by_workspace":{"w":1}}\n\n');
    await vi.advanceTimersByTimeAsync(0);
    t.conns[0]?.drop();
    while (t.conns.length < 2) await vi.advanceTimersByTimeAsync(50);
    await vi.advanceTimersByTimeAsync(0);
    expect(t.client.currentState).toBe('open');
    expect(t.conns[1]?.headers['Last-Event-ID']).toBe('7');
    expect(t.events.filter((e) => e.type === 'resync')).toHaveLength(1);
    t.client.stop();
  });

  it('reconnects after a drop with Last-Event-ID and growing, jittered delays', async () => {
    const t = setup([200, 0, 0, 200]);
    t.client.start();
    await vi.advanceTimersByTimeAsync(0);
    t.conns[0]?.push('id: 41\nevent: resync\ndata: {}\n\n');
    await vi.advanceTimersByTimeAsync(0);
    t.conns[0]?.drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.client.currentState).toBe('down');
    // attempt 0: 750 ms (base 1 s, random 0.5), attempt 1 fails at once, attempt 2 after 1500 ms.
    await vi.advanceTimersByTimeAsync(749);
    expect(t.conns).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1); // 2nd fetch: network error
    await vi.advanceTimersByTimeAsync(1499);
    expect(t.conns).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1); // 3rd fetch: network error
    await vi.advanceTimersByTimeAsync(3000); // 4th fetch: succeeds
    expect(t.conns).toHaveLength(2);
    expect(t.conns[1]?.headers['Last-Event-ID']).toBe('41');
    expect(t.client.currentState).toBe('open');
    t.client.stop();
  });

  it('keeps backing off when the server accepts and drops at once, and starts over after a stable connection', async () => {
    const t = setup();
    t.client.start();
    await vi.advanceTimersByTimeAsync(0);
    const gaps: number[] = [];
    for (let i = 0; i < 4; i++) {
      const n = t.conns.length;
      t.conns[n - 1]?.drop();
      const start = Date.now();
      while (t.conns.length === n) await vi.advanceTimersByTimeAsync(50);
      gaps.push(Date.now() - start);
    }
    // Doubling, up to the cap (5 s, of which half is jitter).
    expect(gaps).toEqual([750, 1500, 3000, 3750]);
    // Up for a minute: the next drop retries quickly again.
    const n = t.conns.length;
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(20_000);
      t.conns[n - 1]?.push(': heartbeat\n\n'); // the server's heartbeats keep it alive
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(t.conns.length).toBe(n);
    t.conns[n - 1]?.drop();
    await vi.advanceTimersByTimeAsync(800);
    expect(t.conns.length).toBe(n + 1);
    t.client.stop();
  });

  it('polls every 60 s while down, and stops polling once the stream is back', async () => {
    const t = setup([0, ...Array(100).fill(0)]);
    t.client.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.client.currentState).toBe('down');
    await vi.advanceTimersByTimeAsync(59_999);
    expect(t.poll).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.poll).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.poll).toHaveBeenCalledTimes(2);
    t.client.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(t.poll).toHaveBeenCalledTimes(2);
  });

  it('treats a silent connection (sleep, dead NAT) as lost and reconnects', async () => {
    const t = setup();
    t.client.start();
    await vi.advanceTimersByTimeAsync(0);
    t.conns[0]?.push(': heartbeat\n\n');
    await vi.advanceTimersByTimeAsync(44_000);
    expect(t.client.currentState).toBe('open');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(t.client.currentState).toBe('down');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(t.conns).toHaveLength(2);
    t.client.stop();
  });

  it('reconnects at once after resume, without waiting for the backoff', async () => {
    const t = setup([0, 200]);
    t.client.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.client.currentState).toBe('down');
    t.client.reconnectNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.client.currentState).toBe('open');
    t.client.stop();
  });

  it('stops on 401 instead of retrying with a dead token', async () => {
    const t = setup([401]);
    t.client.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.client.currentState).toBe('unauthorized');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(t.conns).toHaveLength(1);
    expect(t.poll).not.toHaveBeenCalled();
  });
});
