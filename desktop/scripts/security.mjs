// Runs Doyensec's electronegativity over the desktop sources and fails on any HIGH or MEDIUM
// finding. It scans a copy of the sources: build output (dist/) is generated from them and
// loses the reviewed `eng-disable` annotations, and test output is not app code.
// Offline: the Electron version is passed explicitly (-e), read from the installed package.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const desktop = path.resolve(import.meta.dirname, '..');
const electronVersion = require('electron/package.json').version;
const SKIP = new Set(['node_modules', 'dist', 'test-results', 'playwright-report', 'coverage']);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'electronegativity-'));
const target = path.join(tmp, 'desktop');
fs.cpSync(desktop, target, { recursive: true, filter: (src) => !SKIP.has(path.basename(src)) });
const report = path.join(tmp, 'report.csv');

const bin = path.join(path.dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js');
const run = spawnSync(process.execPath, [bin, '-i', target, '-e', electronVersion, '-o', report], { encoding: 'utf8' });
if (!fs.existsSync(report)) {
  console.error(run.stdout, run.stderr);
  console.error('electronegativity did not write a report');
  process.exit(2);
}

// CSV: issue, severity, confidence, filename, location, sample, description, url
const rows = fs
  .readFileSync(report, 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((line) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g).map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '')));
const findings = rows.map(([issue, severity, confidence, file, location, , description]) => ({
  issue,
  severity,
  confidence,
  where: `${path.relative(target, file)}:${location}`,
  description,
}));
fs.mkdirSync(path.join(desktop, 'test-results'), { recursive: true });
fs.copyFileSync(report, path.join(desktop, 'test-results', 'electronegativity.csv'));
fs.rmSync(tmp, { recursive: true, force: true });

const blocking = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM');
for (const f of findings) console.log(`${f.severity.padEnd(13)} ${f.issue.padEnd(28)} ${f.where}  ${f.description}`);
console.log(
  `electronegativity (Electron ${electronVersion}): ${findings.length} findings, ${blocking.length} HIGH/MEDIUM` +
    (blocking.length ? ' - failing' : ''),
);
process.exit(blocking.length ? 1 : 0);
