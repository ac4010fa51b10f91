/**
 * npm run bench:verify — how long verifying an activity chain takes, on the server
 * (GET /api/activity/verify's service) and offline (the export + `npm run audit:verify`).
 *
 *   npm run bench:verify -- --rows 1000000
 *
 * Loads `--rows` entries into one workspace through the chaining trigger (INSERT … SELECT,
 * `--batch` rows a statement, each statement its own transaction, as a busy sender's batches
 * would be), signs a checkpoint, then times: the server-side verification, the NDJSON export
 * to a file (unpaced), and the offline script over that file in a Node process of its own.
 */
import { execFile } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createPrismaClient } from '../server/src/db/prisma.ts';
import { signDueCheckpoints } from '../server/src/services/activity/chain/checkpoints.ts';
import { exportActivityChain } from '../server/src/services/activity/chain/export-chain.ts';
import { verifyActivityChain } from '../server/src/services/activity/chain/verify-chain.ts';
import { flag, loadAverage, log, repoRoot, startBenchDatabase } from './lib.ts';

const ROWS = flag('rows', 1_000_000);
const BATCH = flag('batch', 1000);
const run = promisify(execFile);

async function main() {
  log(`load average ${loadAverage()} (2 cores shared with other work)`);
  const database = await startBenchDatabase();
  const db = createPrismaClient(database.url, 4);
  const workspace = await db.workspace.create({ data: { name: 'Verify bench', slug: `verify-${Date.now()}` } });
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-verify-'));
  try {
    log(`recording ${ROWS.toLocaleString('en-US')} entries through the chain, ${BATCH} a statement`);
    const loadStarted = performance.now();
    for (let done = 0; done < ROWS; done += BATCH) {
      const count = Math.min(BATCH, ROWS - done);
      await db.$executeRaw`
        INSERT INTO activities (workspace_id, type, entity_type, entity_id, summary, meta, severity, created_at)
        SELECT ${workspace.id}::uuid, 'lead.updated', 'lead', 'crm-' || (n % 5000), 'Event ' || n || ' from the CRM sync',
               jsonb_build_object('source_id', n, 'sync', 'nightly'), 'info', now() - make_interval(secs => ${ROWS} - n)
          FROM generate_series(${done}::int, ${done + count - 1}::int) AS n`;
      if ((done / BATCH) % 100 === 99) log(`  ${(done + count).toLocaleString('en-US')} rows, ${((done + count) / ((performance.now() - loadStarted) / 1000)).toFixed(0)} rows/s`);
    }
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    await db.$executeRawUnsafe('VACUUM ANALYZE activities');
    await signDueCheckpoints(db, { everyEntries: 1, everyMs: 600_000 });

    log('verifying on the server (the service behind GET /api/activity/verify)');
    const verifyStarted = performance.now();
    const result = await verifyActivityChain(db, { workspaceId: workspace.id });
    const verifySeconds = (performance.now() - verifyStarted) / 1000;
    if (!result.ok || result.checked !== ROWS) throw new Error(`verification failed: ${JSON.stringify(result)}`);

    log('exporting the chain to NDJSON (unpaced)');
    const file = path.join(dir, 'export.ndjson');
    const exportStarted = performance.now();
    await pipeline(exportActivityChain(db, workspace.id), createWriteStream(file));
    const exportSeconds = (performance.now() - exportStarted) / 1000;

    log('verifying the export offline: node server/scripts/audit-verify.mjs');
    const offlineStarted = performance.now();
    const { stdout } = await run(process.execPath, [path.join(repoRoot, 'server/scripts/audit-verify.mjs'), file], { maxBuffer: 1 << 20 });
    const offlineSeconds = (performance.now() - offlineStarted) / 1000;
    const offline = JSON.parse(stdout) as { ok: boolean; checked: number };
    if (!offline.ok || offline.checked !== ROWS) throw new Error(`offline verification failed: ${stdout}`);

    const rate = (seconds: number) => `${Math.round(ROWS / seconds).toLocaleString('en-US')} entries/s`;
    console.log(`\nload average at the end: ${loadAverage()} (2 cores, shared)`);
    console.log(`\n| ${ROWS.toLocaleString('en-US')} chained entries, one workspace | seconds | rate |`);
    console.log('| --- | ---: | ---: |');
    console.log(`| record through the chain trigger (INSERT … SELECT, ${BATCH} a statement) | ${loadSeconds.toFixed(1)} | ${rate(loadSeconds)} |`);
    console.log(`| verify on the server (GET /api/activity/verify's service) | ${verifySeconds.toFixed(1)} | ${rate(verifySeconds)} |`);
    console.log(`| export to NDJSON (${(statSync(file).size / 1e6).toFixed(0)} MB, unpaced) | ${exportSeconds.toFixed(1)} | ${rate(exportSeconds)} |`);
    console.log(`| verify the export offline (\`npm run audit:verify\`) | ${offlineSeconds.toFixed(1)} | ${rate(offlineSeconds)} |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.$disconnect();
    await database.stop();
  }
}

await main();
