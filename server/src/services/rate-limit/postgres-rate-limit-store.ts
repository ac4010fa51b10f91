import type { Db } from '../../db/prisma.ts';
import { sqlOf } from '../../db/sql.ts';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A store for @fastify/rate-limit in PostgreSQL, so a limit holds across every server
 * instance: fixed windows, one atomic upsert per counted request (no read-then-write).
 */
export class PostgresRateLimitStore {
  constructor(
    private readonly db: Db,
    private readonly prefix = '',
  ) {}

  incr(key: string, callback: Callback, timeWindowMs: number): void {
    // One plain statement: it runs before every write (single events come by the thousand).
    sqlOf(this.db)
      .query<{ count: number; ttl: number }>(
        `INSERT INTO rate_limit_buckets AS b (key, count, expires_at)
         VALUES ($1, 1, now() + $2::int * interval '1 millisecond')
         ON CONFLICT (key) DO UPDATE
           SET count = CASE WHEN b.expires_at <= now() THEN 1 ELSE b.count + 1 END,
               expires_at = CASE WHEN b.expires_at <= now() THEN excluded.expires_at ELSE b.expires_at END
         RETURNING count, greatest(0, ceil(extract(epoch FROM b.expires_at - now()) * 1000))::int AS ttl`,
        [this.prefix + key, timeWindowMs],
        'rate-limit-incr',
      )
      .then(
        ([row]) => callback(null, { current: row!.count, ttl: row!.ttl }),
        (error: Error) => callback(error),
      );
  }

  /** A route with its own limits counts in its own buckets (the plugin passes the route as `routeInfo`). */
  child(routeOptions: object) {
    const route = (routeOptions as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo ?? {};
    return new PostgresRateLimitStore(this.db, `${this.prefix}${String(route.method)} ${String(route.url)}:`);
  }
}
