import type { Db } from '../../db/prisma.ts';

const DAY_MS = 24 * 3600 * 1000;

/** How long each kind of bookkeeping row is worth keeping. */
export const RETENTION = {
  /** Retries come within minutes; a day is what clients of such APIs commonly rely on. */
  idempotencyKeysMs: DAY_MS,
  /** Far past any throttling window, long enough for an incident review. */
  loginAttemptsMs: 30 * DAY_MS,
  /** Expired or logged-out sessions: kept a while for "who was logged in" questions. */
  endedSessionsMs: 30 * DAY_MS,
};

/** Rate-limit windows that ended: the next request would reset them anyway. */
export const pruneRateLimitBuckets = (db: Db) => db.$executeRaw`DELETE FROM rate_limit_buckets WHERE expires_at < now()`;

/**
 * Deletes rows that only bookkeeping needed and that would otherwise grow forever. Safe to
 * run on every instance at once: each delete is idempotent.
 */
export async function pruneExpiredRecords(db: Db, now = new Date()) {
  const before = (ms: number) => new Date(now.getTime() - ms);
  const [idempotencyKeys, loginAttempts, sessions, embedSignatureUses] = await Promise.all([
    db.idempotencyKey.deleteMany({ where: { createdAt: { lt: before(RETENTION.idempotencyKeysMs) } } }),
    db.loginAttempt.deleteMany({ where: { createdAt: { lt: before(RETENTION.loginAttemptsMs) } } }),
    db.session.deleteMany({
      where: {
        OR: [
          { expiresAt: { lt: before(RETENTION.endedSessionsMs) } },
          { revokedAt: { lt: before(RETENTION.endedSessionsMs) } },
        ],
      },
    }),
    // A used signature past its acceptable age would be refused as too old anyway.
    db.embedSignatureUse.deleteMany({ where: { expiresAt: { lt: now } } }),
  ]);
  return {
    idempotencyKeys: idempotencyKeys.count,
    loginAttempts: loginAttempts.count,
    sessions: sessions.count,
    embedSignatureUses: embedSignatureUses.count,
  };
}
