#!/usr/bin/env node
// Runs npm scripts one after another, stops at the first that fails, and prints how long each
// took: `node scripts/run-stages.mjs typecheck test:unit` is `npm run typecheck && npm run
// test:unit` with a time per stage.
import { spawnSync } from 'node:child_process';

const stages = process.argv.slice(2);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const times = [];
let failed;
for (const stage of stages) {
  console.log(`\n== stage ${stage}`);
  const started = performance.now();
  const { status, error } = spawnSync(npm, ['run', stage], { stdio: 'inherit' });
  const seconds = Math.round((performance.now() - started) / 1000);
  times.push({ stage, seconds, ok: status === 0 });
  console.log(`== stage ${stage}: ${status === 0 ? 'passed' : 'FAILED'} in ${seconds} s`);
  if (status !== 0) {
    if (error) console.error(error.message);
    failed = stage;
    break;
  }
}
console.log('\n== stage times');
for (const { stage, seconds, ok } of times) console.log(`   ${stage.padEnd(12)} ${String(seconds).padStart(5)} s${ok ? '' : '  FAILED'}`);
const total = times.reduce((sum, { seconds }) => sum + seconds, 0);
console.log(`   ${'total'.padEnd(12)} ${String(total).padStart(5)} s`);
if (failed) {
  const skipped = stages.slice(stages.indexOf(failed) + 1);
  if (skipped.length > 0) console.log(`   not run after the failure: ${skipped.join(', ')}`);
  process.exit(1);
}
