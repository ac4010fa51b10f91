/**
 * npm run bench:chain-cost — what chaining costs per activity entry, A/B in one run.
 *
 *   npm run bench:chain-cost -- --rounds 5 --rows 20000 --batch 100
 *
 * Alternates rounds with the chaining trigger on and off (ALTER TABLE … DISABLE TRIGGER: a
 * diagnostic only) on one database, each round recording `--rows` entries into one workspace
 * in statements of `--batch` rows (INSERT … SELECT, each statement its own transaction, as
 * POST /api/events writes a batch). Prints the time per entry of each way, median over the
 * rounds, and the difference: the chain's cost per entry. Interleaving keeps a busy machine's
 * drift out of the comparison.
 */
import { createPrismaClient } from '../server/src/db/prisma.ts';
import { flag, loadAverage, log, percentile, startBenchDatabase } from './lib.ts';

const ROUNDS = flag('rounds', 5);
const ROWS = flag('rows', 20_000);
const BATCH = flag('batch', 100);

async function main() {
  log(`load average ${loadAverage()} (2 cores shared with other work)`);
  const database = await startBenchDatabase();
  const db = createPrismaClient(database.url, 2);
  const workspace = await db.workspace.create({ data: { name: 'Chain cost', slug: `chain-cost-${Date.now()}` } });
  let next = 0;
  const record = async () => {
    const started = performance.now();
    for (let done = 0; done < ROWS; done += BATCH) {
      const from = next;
      next += BATCH;
      await db.$executeRaw`
        INSERT INTO activities (workspace_id, type, entity_type, entity_id, summary, meta, severity)
        SELECT ${workspace.id}::uuid, 'lead.updated', 'lead', 'crm-' || (n % 5000), 'Event ' || n || ' from the CRM sync',
               jsonb_build_object('source_id', n, 'sync', 'nightly'), 'info'
          FROM generate_series(${from}::int, ${from + BATCH - 1}::int) AS n`;
    }
    return ((performance.now() - started) * 1000) / ROWS; // µs per entry
  };
  const chained: number[] = [];
  const plain: number[] = [];
  try {
    await record(); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      await db.$executeRawUnsafe('ALTER TABLE activities ENABLE TRIGGER activities_chain');
      chained.push(await record());
      await db.$executeRawUnsafe('ALTER TABLE activities DISABLE TRIGGER activities_chain');
      plain.push(await record());
      log(`round ${round + 1}: chained ${chained.at(-1)!.toFixed(1)} µs/entry, unchained ${plain.at(-1)!.toFixed(1)} µs/entry (load ${loadAverage()})`);
    }
    const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
    const on = median(chained);
    const off = median(plain);
    console.log(`\nload average at the end: ${loadAverage()} (2 cores, shared)`);
    console.log(`\n| ${ROUNDS} rounds × ${ROWS.toLocaleString('en-US')} entries, ${BATCH} a statement | µs per entry (median) | entries/s |`);
    console.log('| --- | ---: | ---: |');
    console.log(`| chained (trigger on) | ${on.toFixed(1)} | ${Math.round(1e6 / on).toLocaleString('en-US')} |`);
    console.log(`| unchained (trigger off) | ${off.toFixed(1)} | ${Math.round(1e6 / off).toLocaleString('en-US')} |`);
    console.log(`| the chain's cost | +${(on - off).toFixed(1)} (${(on / off).toFixed(2)}×) | |`);
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}

await main();
