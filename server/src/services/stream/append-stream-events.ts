import type { Prisma } from '../../db/prisma.ts';

/** The PostgreSQL channel that tells every server instance which users have new events. */
export const STREAM_CHANNEL = 'tn_stream';
/** NOTIFY payloads must stay under 8000 bytes; a "<uuid>:<seq>" entry is at most ~58. */
const MAX_NOTIFY_PAYLOAD = 7_800;

export interface NewStreamEvent {
  userId: string;
  type: 'notification.created' | 'notification.updated';
  /** JSON-serialisable: the event's `data:` as the client receives it. */
  data: object;
}

/**
 * Appends events to each user's stream log inside the caller's transaction.
 *
 * Event numbers come from `users.stream_seq`, incremented under that user's row lock
 * (taken in id order, so concurrent transactions cannot deadlock): a later number always
 * commits after an earlier one, so a reader resuming "after N" can never skip a row that
 * commits late. The NOTIFY is transactional too: it is delivered only if the change commits.
 */
export async function appendStreamEvents(tx: Prisma.TransactionClient, events: NewStreamEvent[]): Promise<void> {
  if (events.length === 0) return;
  const perUser = new Map<string, NewStreamEvent[]>();
  for (const event of events) perUser.set(event.userId, [...(perUser.get(event.userId) ?? []), event]);
  const userIds = [...perUser.keys()].sort();
  const counts = userIds.map((id) => perUser.get(id)!.length);

  const sequences = await tx.$queryRaw<{ id: string; stream_seq: bigint }[]>`
    WITH wanted AS (SELECT * FROM unnest(${userIds}::uuid[], ${counts}::int[]) AS w(user_id, n)),
         locked AS (SELECT u.id FROM users u JOIN wanted w ON w.user_id = u.id ORDER BY u.id FOR NO KEY UPDATE OF u)
    UPDATE users u SET stream_seq = u.stream_seq + w.n
      FROM wanted w
     WHERE u.id = w.user_id AND u.id IN (SELECT id FROM locked)
    RETURNING u.id, u.stream_seq`;

  const rows: Prisma.StreamEventCreateManyInput[] = [];
  const heads: string[] = [];
  for (const { id, stream_seq: last } of sequences) {
    const userEvents = perUser.get(id)!;
    const first = last - BigInt(userEvents.length) + 1n;
    userEvents.forEach((event, index) =>
      rows.push({ userId: id, seq: first + BigInt(index), type: event.type, data: event.data as Prisma.InputJsonObject }),
    );
    heads.push(`${id}:${last}`);
  }
  await tx.streamEvent.createMany({ data: rows });

  // Listeners only learn "user U has events up to N"; they read the events themselves.
  for (const payload of chunkJoin(heads, ',', MAX_NOTIFY_PAYLOAD)) {
    await tx.$executeRaw`SELECT pg_notify(${STREAM_CHANNEL}, ${payload})`;
  }
}

function chunkJoin(parts: string[], separator: string, maxLength: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const part of parts) {
    if (current && current.length + separator.length + part.length > maxLength) {
      chunks.push(current);
      current = '';
    }
    current = current ? current + separator + part : part;
  }
  if (current) chunks.push(current);
  return chunks;
}
