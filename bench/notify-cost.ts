/**
 * What does a NOTIFY in every writing transaction cost the insert rate?
 *
 *   npm run bench:notify -- --seconds 5 --concurrency 16
 *
 * Runs the stream log's write path (bump users.stream_seq under the row lock, insert the
 * stream_events row) from `concurrency` connections for `seconds`, once with and once without
 * the transactional pg_notify, while a connection LISTENs as a server would, and reports
 * transactions per second for both.
 */
import pg from 'pg';
import { pgConfigFromUrl } from '../server/src/db/connection.ts';
import { createPrismaClient } from '../server/src/db/prisma.ts';
import { STREAM_CHANNEL } from '../server/src/stream/append-stream-events.ts';
import { flag, seedUsers, startBenchDatabase } from './lib.ts';

const SECONDS = flag('seconds', 5);
const CONCURRENCY = flag('concurrency', 16);
const USERS = 1000;

async function run(url: string, userIds: string[], notify: boolean, mode: 'per-tx' | 'none') {
  const pool = new pg.Pool({ ...pgConfigFromUrl(url), max: CONCURRENCY });
  let done = 0;
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const client = await pool.connect();
      try {
        while (Date.now() < until) {
          const userId = userIds[Math.floor(Math.random() * userIds.length)]!;
          await client.query('BEGIN');
          const { rows } = await client.query<{ stream_seq: string }>(
            'UPDATE users SET stream_seq = stream_seq + 1 WHERE id = $1 RETURNING stream_seq',
            [userId],
          );
          const seq = rows[0]!.stream_seq;
          await client.query(`INSERT INTO stream_events (user_id, seq, type, data) VALUES ($1, $2, 'notification.created', $3)`, [
            userId,
            seq,
            JSON.stringify({ title: 'bench', body: 'x'.repeat(200) }),
          ]);
          if (notify && mode === 'per-tx') await client.query('SELECT pg_notify($1, $2)', [STREAM_CHANNEL, `${userId}:${seq}`]);
          await client.query('COMMIT');
          done++;
        }
      } finally {
        client.release();
      }
    }),
  );
  await pool.end();
  return done / SECONDS;
}

async function main() {
  const database = await startBenchDatabase();
  const db = createPrismaClient(database.url, 4);
  try {
    const { users } = await seedUsers(db, USERS);
    const ids = users.map((user) => user.id);
    const listener = new pg.Client(pgConfigFromUrl(database.url));
    await listener.connect();
    await listener.query(`LISTEN ${STREAM_CHANNEL}`);
    let notifications = 0;
    listener.on('notification', () => notifications++);
    const settings = await listener.query(`SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sync, version() AS version`);

    await run(database.url, ids, false, 'none'); // warm-up
    const without = await run(database.url, ids, false, 'none');
    const withNotify = await run(database.url, ids, true, 'per-tx');
    const withoutAgain = await run(database.url, ids, false, 'none');
    await listener.end();
    console.log(
      JSON.stringify(
        {
          postgres: settings.rows[0],
          concurrency: CONCURRENCY,
          seconds_each: SECONDS,
          tx_per_s_without_notify: Math.round((without + withoutAgain) / 2),
          tx_per_s_with_notify_per_tx: Math.round(withNotify),
          ratio_with_over_without: +(withNotify / ((without + withoutAgain) / 2)).toFixed(2),
          notifications_received: notifications,
        },
        null,
        2,
      ),
    );
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
