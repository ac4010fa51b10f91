import pg from 'pg';
import { startScratchPostgres } from '/work/wt/i14-data/server/src/db/embedded-postgres.ts';
import { runPrisma } from '/work/wt/i14-data/server/src/db/migrate.ts';
import { createDatabaseIfMissing } from '/work/wt/i14-data/server/src/db/prepare-database.ts';
import { withDatabase } from '/work/wt/i14-data/server/src/db/connection.ts';
import { readdirSync, mkdtempSync, cpSync, rmSync } from 'node:fs';
const db = await startScratchPostgres(54397);
try {
  await createDatabaseIfMissing(db.url, 't');
  const url = withDatabase(db.url, 't');
  // apply all but the last migration, seed, then the last
  const c = new pg.Client({ connectionString: url }); await c.connect(); c.on("error", () => {});
  const migs = readdirSync('prisma/migrations').filter(n => /^\d/.test(n)).sort();
  for (const m of migs.slice(0, -1)) await c.query((await import('node:fs')).readFileSync(`prisma/migrations/${m}/migration.sql`, 'utf8'));
  const w = (await c.query(`INSERT INTO workspaces (name, slug) VALUES ('a','a') RETURNING id`)).rows[0].id;
  const u = (await c.query(`INSERT INTO users (email, name, password_hash) VALUES ('a@a','a','x') RETURNING id`)).rows[0].id;
  await c.query(`INSERT INTO activities (workspace_id, type, summary, created_at) SELECT $1, 't', 's', now() - g * interval '1 day' FROM generate_series(0, 1000) g`, [w]);
  await c.query(`INSERT INTO notifications (id, workspace_id, user_id, type, title) SELECT gen_random_uuid(), $1, $2, 't', 'x' FROM generate_series(1,10)`, [w, u]);
  await c.query(`INSERT INTO notification_receipts (notification_id, user_id, workspace_id, created_at, read_at) SELECT id, $2, $1, now(), CASE WHEN random() < 0.3 THEN now() END FROM notifications`, [w, u]);
  const t0 = Date.now();
  await c.query((await import('node:fs')).readFileSync(`prisma/migrations/${migs.at(-1)}/migration.sql`, 'utf8'));
  console.log('migrated in', Date.now() - t0, 'ms');
  console.log((await c.query(`SELECT count(*) FROM activities`)).rows, (await c.query(`SELECT count(*) FROM activities_default`)).rows);
  console.log((await c.query(`SELECT inhrelid::regclass AS p FROM pg_inherits WHERE inhparent = 'activities'::regclass ORDER BY 1`)).rows.map(r => r.p).join(' '));
  console.log((await c.query(`SELECT * FROM notification_unread_counts`)).rows, (await c.query(`SELECT count(*) FROM notification_receipts WHERE read_at IS NULL`)).rows);
  console.log((await c.query(`INSERT INTO activities (workspace_id, type, summary) VALUES ($1,'t','s') RETURNING id, created_at`, [w])).rows);
  console.log((await c.query(`INSERT INTO activities (workspace_id, type, summary, created_at) VALUES ($1,'t','s', '2030-05-05') RETURNING tableoid::regclass`, [w])).rows);
  console.log((await c.query(`SELECT ensure_activity_partition('2030-05-20')`)).rows, (await c.query(`SELECT tableoid::regclass, count(*) FROM activities WHERE created_at > '2030-01-01' GROUP BY 1`)).rows);
  await c.query(`UPDATE notification_receipts SET read_at = now() WHERE read_at IS NULL`);
  console.log((await c.query(`SELECT * FROM notification_unread_counts`)).rows);
  await c.query(`UPDATE notification_receipts SET read_at = NULL`);
  console.log((await c.query(`SELECT * FROM notification_unread_counts`)).rows);
  await c.query(`DELETE FROM users`);
  console.log((await c.query(`SELECT * FROM notification_unread_counts`)).rows);
  await c.end();
} catch (e) { console.error("FAILED", e.message, e.where ?? ""); } finally { await db.stop(); }
