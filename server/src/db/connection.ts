import type { PoolConfig } from 'pg';

/**
 * Splits a postgres:// URL into pg's config object. The Prisma adapter needs the object form:
 * a connectionString would silently win over the database name its shadow-database logic sets.
 */
export function pgConfigFromUrl(url: string): PoolConfig {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`DATABASE_URL is not a valid URL (expected postgresql://user:password@host:5432/database)`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL must start with postgresql:// (got ${parsed.protocol})`);
  }
  const config: PoolConfig = {
    host: decodeURIComponent(parsed.hostname) || 'localhost',
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
  };
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode && sslmode !== 'disable') config.ssl = { rejectUnauthorized: sslmode === 'verify-full' };
  return config;
}

/** The URL for another database on the same server (tests make one per file). */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
