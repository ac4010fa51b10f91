import { STREAM_EVENT_TYPES } from '@tray-notify/contract';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { EventSource } from 'eventsource';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp, type App } from '../src/app.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { pgConfigFromUrl, withDatabase } from '../src/db/connection.ts';
import { createDatabaseIfMissing } from '../src/db/prepare-database.ts';
import { createPrismaClient, type PrismaClient } from '../src/db/prisma.ts';
import { hashPassword } from '../src/lib/passwords.ts';
import type { StreamHubOptions } from '../src/stream/options.ts';
import { TEMPLATE_DATABASE } from './global-setup.ts';

export const PASSWORD = 'test-password';

export interface TestServer {
  app: App;
  db: PrismaClient;
  databaseUrl: string;
  /** Base URL of the listening server: tests speak real HTTP to it. */
  url: string;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Another instance on this database (several servers behind one load balancer). Default: a fresh one. */
  databaseUrl?: string;
  stream?: Partial<StreamHubOptions>;
  /** Bound connecting, statements and locks as server.ts does (tests of database faults and stalls). */
  databaseTimeouts?: boolean;
}

/** A fresh database (cloned from the migrated template) and the app listening on a free port. */
export async function startTestServer(overrides: Partial<Config> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const config: Config = { ...loadConfig({}), databaseUrl, webRoot: '/nonexistent', ...overrides };
  const db = createPrismaClient(databaseUrl, 5, options.databaseTimeouts ? config.database : undefined);
  const app = await buildApp({ config, prisma: db, stream: options.stream });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return {
    app,
    db,
    databaseUrl,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      // A test client can leave a socket that never sent a request (an aborted reconnect);
      // Node would wait for its headers timeout (a minute) before closing.
      app.streamHub.closeStreams();
      app.server.closeAllConnections();
      await app.close();
      await db.$disconnect();
    },
  };
}

export async function createTestDatabase(): Promise<string> {
  const serverUrl = inject('databaseServerUrl');
  const name = `t_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  await createDatabaseIfMissing(serverUrl, name, TEMPLATE_DATABASE);
  return withDatabase(serverUrl, name);
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A small HTTP client over fetch: JSON in, JSON out, optional bearer token. */
export function apiClient(baseUrl: string) {
  async function request<T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(baseUrl + path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }
  return {
    request,
    get: <T = any>(path: string, token?: string) => request<T>('GET', path, { token }),
    post: <T = any>(path: string, body?: unknown, token?: string) => request<T>('POST', path, { body, token }),
    patch: <T = any>(path: string, body: unknown, token?: string) => request<T>('PATCH', path, { body, token }),
    put: <T = any>(path: string, body: unknown, token?: string) => request<T>('PUT', path, { body, token }),
    async login(email: string, password = PASSWORD): Promise<string> {
      const response = await request('POST', '/api/auth/login', { body: { email, password } });
      if (response.status !== 200) throw new Error(`login ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.token as string;
    },
  };
}
export type ApiClient = ReturnType<typeof apiClient>;

let passwordHash: Promise<string> | undefined;

/**
 * Two workspaces with an admin, a second admin and a member each, plus a super admin with no
 * membership and a user who belongs to both workspaces.
 */
export async function createWorld(db: PrismaClient) {
  const hash = await (passwordHash ??= hashPassword(PASSWORD));
  const tag = randomUUID().slice(0, 8);
  const user = (name: string, isSuperAdmin = false) =>
    db.user.create({ data: { email: `${name}-${tag}@test.example`, name, passwordHash: hash, isSuperAdmin } });
  const acme = await db.workspace.create({ data: { name: 'Acme', slug: `acme-${tag}` } });
  const globex = await db.workspace.create({ data: { name: 'Globex', slug: `globex-${tag}` } });
  const [superAdmin, acmeAdmin, acmeAdmin2, acmeMember, globexAdmin, globexMember, both] = await Promise.all([
    user('super', true),
    user('acme-admin'),
    user('acme-admin2'),
    user('acme-member'),
    user('globex-admin'),
    user('globex-member'),
    user('both'),
  ]);
  await db.membership.createMany({
    data: [
      { workspaceId: acme.id, userId: acmeAdmin!.id, role: 'admin' },
      { workspaceId: acme.id, userId: acmeAdmin2!.id, role: 'admin' },
      { workspaceId: acme.id, userId: acmeMember!.id, role: 'member' },
      { workspaceId: globex.id, userId: globexAdmin!.id, role: 'admin' },
      { workspaceId: globex.id, userId: globexMember!.id, role: 'member' },
      { workspaceId: acme.id, userId: both!.id, role: 'member' },
      { workspaceId: globex.id, userId: both!.id, role: 'admin' },
    ],
  });
  return {
    acme,
    globex,
    users: { superAdmin: superAdmin!, acmeAdmin: acmeAdmin!, acmeAdmin2: acmeAdmin2!, acmeMember: acmeMember!, globexAdmin: globexAdmin!, globexMember: globexMember!, both: both! },
  };
}
export type World = Awaited<ReturnType<typeof createWorld>>;

/** Resolves when `check` returns something other than undefined, polling; fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface SseEvent {
  id: string;
  type: string;
  data: any;
}

/**
 * A real SSE client (the `eventsource` package, which reconnects with Last-Event-ID like a
 * browser) that records what it receives, for assertions.
 */
export class StreamClient {
  readonly events: SseEvent[] = [];
  /** HTTP status of each failed (re)connect; EventSource gives up after a non-200. */
  readonly errors: (number | undefined)[] = [];
  opens = 0;
  private readonly source: EventSource;
  private readonly read = new Map<string, number>();

  constructor(url: string, options: { token?: string; lastEventId?: string } = {}) {
    this.source = new EventSource(url, {
      fetch: (input, init) =>
        fetch(input, {
          ...init,
          headers: {
            ...init?.headers,
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
            // Until EventSource has an id of its own, which it then sends on reconnects.
            ...(options.lastEventId !== undefined && !(init?.headers as Record<string, string> | undefined)?.['Last-Event-ID']
              ? { 'last-event-id': options.lastEventId }
              : {}),
          },
        }),
    });
    this.source.addEventListener('open', () => this.opens++);
    this.source.addEventListener('error', (event) => this.errors.push((event as { code?: number }).code));
    for (const type of STREAM_EVENT_TYPES) {
      this.source.addEventListener(type, (event) => {
        this.events.push({ id: event.lastEventId, type, data: JSON.parse(event.data) });
      });
    }
  }

  /** 0 connecting, 1 open, 2 closed for good. */
  get readyState() {
    return this.source.readyState;
  }

  of(type: string) {
    return this.events.filter((event) => event.type === type);
  }

  /** The next event of `type` not yet returned by `next`, waiting for it if need be. */
  async next(type: string, timeoutMs = 10_000): Promise<SseEvent> {
    const index = this.read.get(type) ?? 0;
    const event = await eventually(() => this.of(type)[index], `${type} #${index + 1}`, timeoutMs);
    this.read.set(type, index + 1);
    return event;
  }

  /** The next `count` events of `type`. */
  async take(type: string, count: number, timeoutMs = 10_000): Promise<SseEvent[]> {
    const taken: SseEvent[] = [];
    for (let i = 0; i < count; i++) taken.push(await this.next(type, timeoutMs));
    return taken;
  }

  /** Marks everything received so far as read. */
  skipReceived() {
    for (const type of STREAM_EVENT_TYPES) this.read.set(type, this.of(type).length);
  }

  waitOpen(count = 1) {
    return eventually(() => (this.opens >= count ? true : undefined), `stream open #${count}`);
  }

  close() {
    this.source.close();
  }
}

/** A running `server/src/server.ts` in a child process (a separate server instance). */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Starts server.ts on `databaseUrl` (no demo data) and waits until it listens. */
export function startServerProcess(databaseUrl: string, port = 0, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/server.ts'], {
    cwd: repoRoot,
    env: { ...process.env, ...env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO_DATA: 'false', LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`server process did not start in 60 s:\n${output}`)), 60_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const ready = /Ready: web app http:\/\/localhost:(\d+)\//.exec(output);
      if (!ready) return;
      clearTimeout(timer);
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      resolve({
        url: `http://127.0.0.1:${ready[1]}`,
        child,
        exited,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
    void exited.then((code) => fail(new Error(`server process exited (${code}) before listening:\n${output}`)));
  });
}

/**
 * Appends a `notification.created` event to the user's stream log as another process would,
 * then announces nothing (a writer gone between its commit and its wake-up, or whose NOTIFY
 * was sent while this process was not listening). Returns the event's seq.
 */
export async function commitStreamEventWithoutWakeUp(databaseUrl: string, userId: string, title: string): Promise<string> {
  const client = new pg.Client(pgConfigFromUrl(databaseUrl));
  await client.connect();
  try {
    const { rows } = await client.query<{ seq: string }>(
      `WITH bumped AS (UPDATE users SET stream_seq = stream_seq + 1 WHERE id = $1 RETURNING id, stream_seq)
       INSERT INTO stream_events (user_id, seq, type, data)
       SELECT id, stream_seq, 'notification.created', jsonb_build_object('id', gen_random_uuid(), 'title', $2::text) FROM bumped
       RETURNING seq`,
      [userId, title],
    );
    return rows[0]!.seq;
  } finally {
    await client.end();
  }
}

/**
 * Loads many rows in one statement straight to the database (no statement deadline), as a
 * bulk import would, with the tables' triggers off for it (`session_replication_role`): the
 * tests that need a heavy tenant are about reading it, and chaining 200,000 entries one by
 * one would take minutes. The rows are outside the hash chain.
 */
export async function bulkLoad(databaseUrl: string, statement: string, values: unknown[] = []): Promise<void> {
  const client = new pg.Client(pgConfigFromUrl(databaseUrl));
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(statement, values);
    await client.query('COMMIT');
    await client.query('ANALYZE activities');
  } finally {
    await client.end();
  }
}
