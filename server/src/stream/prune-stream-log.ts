import type { Db } from '../db/prisma.ts';

const BATCH = 5_000;

/**
 * Deletes stream events written before `olderThan`, and tickets and leases past their expiry. In small
 * batches, so the delete never holds locks long enough to stall the inserts it races with.
 * Every instance runs it; running it twice at once only deletes less each time.
 */
export async function pruneStreamLog(db: Db, olderThan: Date) {
  let events = 0;
  for (;;) {
    const deleted = await db.$executeRaw`
      DELETE FROM stream_events
       WHERE ctid = ANY(ARRAY(SELECT ctid FROM stream_events WHERE created_at < ${olderThan} LIMIT ${BATCH}))`;
    events += deleted;
    if (deleted < BATCH) break;
  }
  const { count: tickets } = await db.streamTicket.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  // Leases of streams whose instance died without releasing them.
  const { count: leases } = await db.streamLease.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  return { events, tickets, leases };
}
