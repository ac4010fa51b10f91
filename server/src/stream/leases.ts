import type pg from 'pg';
import type { StreamLogger } from './options.ts';

/**
 * Rows in stream_leases, one per open stream on any instance: the per-user cap counts them,
 * so it holds across instances. Also the session check of open streams. Plain pg, like the
 * rest of the stream's per-connection SQL.
 */
export class StreamLeases {
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: { maxStreamsPerUser: number; heartbeatMs: number },
    private readonly log: StreamLogger,
  ) {}

  /** Leases outlive a few missed renewals (heartbeats), not a crashed instance by much. */
  private get ttlSeconds() {
    return Math.max(1, (3 * this.options.heartbeatMs) / 1000);
  }

  /** A lease for one more stream of the user, or undefined at the cap; serialised per user. */
  async acquire(userId: string): Promise<string | undefined> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('stream-lease:' || $1, 0))`, [userId]);
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM stream_leases WHERE user_id = $1 AND expires_at > now()',
        [userId],
      );
      if (rows[0]!.n >= this.options.maxStreamsPerUser) {
        await client.query('ROLLBACK');
        return undefined;
      }
      const inserted = await client.query<{ id: string }>(
        `INSERT INTO stream_leases (user_id, expires_at) VALUES ($1, now() + make_interval(secs => $2)) RETURNING id`,
        [userId, this.ttlSeconds],
      );
      await client.query('COMMIT');
      return inserted.rows[0]!.id;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** In the background: a lease that cannot be deleted expires by itself. */
  release(ids: string[]) {
    if (ids.length === 0 || this.closed) return;
    this.pool
      .query('DELETE FROM stream_leases WHERE id = ANY($1::uuid[])', [ids])
      .catch((error) => this.log.warn({ err: error }, 'releasing stream leases failed; they expire by themselves'));
  }

  renew(ids: string[]) {
    if (ids.length === 0) return;
    this.pool
      .query('UPDATE stream_leases SET expires_at = now() + make_interval(secs => $2) WHERE id = ANY($1::uuid[])', [ids, this.ttlSeconds])
      .catch((error) => {
        if (!this.closed) this.log.warn({ err: error }, 'renewing stream leases failed');
      });
  }

  /** Releases the last leases and waits for it: the instance is shutting down. */
  async close(ids: string[]) {
    this.closed = true;
    await this.pool.query('DELETE FROM stream_leases WHERE id = ANY($1::uuid[])', [ids]).catch(() => {});
  }

  /** Of the given sessions, those not logged out, revoked or expired. */
  async liveSessions(ids: string[]): Promise<Set<string>> {
    const live = new Set<string>();
    // Plain pg, in chunks: through Prisma, checking 10,000 sessions blocked the event loop for a second.
    for (let i = 0; i < ids.length; i += 5000) {
      const { rows } = await this.pool.query<{ id: string }>(
        'SELECT id FROM sessions WHERE id = ANY($1::uuid[]) AND revoked_at IS NULL AND expires_at > now()',
        [ids.slice(i, i + 5000)],
      );
      for (const row of rows) live.add(row.id);
    }
    return live;
  }
}
