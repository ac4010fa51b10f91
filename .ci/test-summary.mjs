// Adds up the JSON reports that `npm test` leaves in test-results/ into the one closing line
// CI reads: "N passed, N failed, N flaky[, N skipped]". Everything that went wrong counts as
// failed: failed tests, test files that failed without a failed test (a file that throws on
// import, a failing hook), and runner errors (a report missing or unreadable, a run the runner
// itself calls unsuccessful, Playwright's global errors). A spec that passed only on retry is
// flaky, and flaky fails the run too, as does a run that executed no test.
//   node .ci/test-summary.mjs [runner ...]   (default: vitest playwright; reports in test-results/)
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The runners `npm test` runs, each with the report it must leave. */
export const REPORTS = { vitest: 'vitest.json', playwright: 'playwright.json', 'fresh-machine': 'fresh-machine.json' };

/**
 * @param {Record<string, unknown>} reports parsed report per runner; undefined = missing,
 *   an Error = unreadable
 * @returns {{ passed: number, failed: number, flaky: number, skipped: number, problems: string[] }}
 */
export function summarize(reports) {
  const totals = { passed: 0, failed: 0, flaky: 0, skipped: 0, problems: [] };
  const runnerError = (message) => {
    totals.failed += 1;
    totals.problems.push(message);
  };
  for (const [runner, report] of Object.entries(reports)) {
    if (report === undefined) runnerError(`${runner}: no report (${REPORTS[runner]}): the runner did not run or did not finish`);
    else if (report instanceof Error) runnerError(`${runner}: unreadable report: ${report.message}`);
    else if (runner === 'vitest') addVitest(report, totals, runnerError);
    else if (runner === 'playwright') addPlaywright(report, totals, runnerError);
    else if (runner === 'fresh-machine') addFreshMachine(report, totals, runnerError);
  }
  return totals;
}

function addVitest(report, totals, runnerError) {
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  let fileFailures = 0;
  for (const file of report.testResults ?? []) {
    if (file.status !== 'failed' || (file.assertionResults ?? []).some((test) => test.status === 'failed')) continue;
    fileFailures += 1;
    totals.failed += 1;
    totals.problems.push(`vitest: ${file.name} failed without running its tests: ${firstLine(file.message) || 'no message'}`);
  }
  // Errors outside any test or file (unhandled rejections, a failing global setup) only show here.
  if (report.success === false && (report.numFailedTests ?? 0) === 0 && fileFailures === 0) {
    runnerError('vitest: the run failed outside any test (see its output)');
  }
}

function addPlaywright(report, totals, runnerError) {
  const stats = report.stats ?? {};
  totals.passed += stats.expected ?? 0;
  totals.failed += stats.unexpected ?? 0;
  totals.flaky += stats.flaky ?? 0;
  totals.skipped += stats.skipped ?? 0;
  if (stats.flaky) totals.problems.push(`playwright: ${stats.flaky} spec(s) passed only on retry (flaky)`);
  for (const error of report.errors ?? []) runnerError(`playwright: ${firstLine(error.message) || 'error outside any spec'}`);
}

/** .ci/fresh-machine.mjs: one entry per check, `finished` once it got to the end. */
function addFreshMachine(report, totals, runnerError) {
  for (const check of report.checks ?? []) {
    if (check.ok) totals.passed += 1;
    else {
      totals.failed += 1;
      totals.problems.push(`fresh-machine: ${check.name}: ${check.detail}`);
    }
  }
  if (!report.finished) runnerError('fresh-machine: the check stopped before its end');
}

function firstLine(text) {
  return String(text ?? '').split('\n').map((line) => line.trim()).find(Boolean) ?? '';
}

export function readReports(dir, runners = ['vitest', 'playwright']) {
  const reports = {};
  for (const runner of runners) {
    if (!REPORTS[runner]) throw new Error(`unknown runner ${runner} (known: ${Object.keys(REPORTS).join(', ')})`);
    const full = path.join(dir, REPORTS[runner]);
    if (!existsSync(full)) reports[runner] = undefined;
    else {
      try {
        reports[runner] = JSON.parse(readFileSync(full, 'utf8'));
      } catch (error) {
        reports[runner] = new Error(`${full}: ${firstLine(error.message)}`);
      }
    }
  }
  return reports;
}

export function closingLine(totals) {
  return `${totals.passed} passed, ${totals.failed} failed, ${totals.flaky} flaky${totals.skipped ? `, ${totals.skipped} skipped` : ''}`;
}

/** Whether CI may call the run green. */
export function succeeded(totals) {
  return totals.failed === 0 && totals.flaky === 0 && totals.passed > 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const runners = process.argv.slice(2);
  const totals = summarize(readReports(process.env.TEST_RESULTS_DIR ?? 'test-results', runners.length ? runners : undefined));
  for (const problem of totals.problems) console.log(problem);
  console.log(closingLine(totals));
  process.exit(succeeded(totals) ? 0 : 1);
}
