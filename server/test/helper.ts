import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { buildApp, type App } from '../src/app.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { withDatabase } from '../src/db/connection.ts';
import { createDatabaseIfMissing } from '../src/db/prepare-database.ts';
import { createPrismaClient, type PrismaClient } from '../src/db/prisma.ts';
import { hashPassword } from '../src/lib/passwords.ts';
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

/** A fresh database (cloned from the migrated template) and the app listening on a free port. */
export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const databaseUrl = await createTestDatabase();
  const db = createPrismaClient(databaseUrl, 5);
  const config: Config = { ...loadConfig({}), databaseUrl, webRoot: '/nonexistent', ...overrides };
  const app = await buildApp({ config, prisma: db });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return {
    app,
    db,
    databaseUrl,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
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
