// The closing line CI reads counts everything that went wrong (fixtures: small reports in the
// shapes vitest, Playwright and .ci/fresh-machine.mjs write).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { closingLine, readReports, succeeded, summarize } from './test-summary.mjs';

const fixture = (name) => path.join(import.meta.dirname, 'fixtures', name);
const summary = (name, runners) => summarize(readReports(fixture(name), runners));

describe('test-summary', () => {
  it('passes a run where every test passed', () => {
    const totals = summary('green');
    expect(closingLine(totals)).toBe('5 passed, 0 failed, 0 flaky');
    expect(succeeded(totals)).toBe(true);
  });

  it('counts a failed test once', () => {
    const totals = summary('failed-test');
    expect(closingLine(totals)).toBe('3 passed, 1 failed, 0 flaky');
    expect(succeeded(totals)).toBe(false);
  });

  it('counts a test file that throws on import as a failure and names it', () => {
    const totals = summary('import-error');
    expect(closingLine(totals)).toBe('5 passed, 1 failed, 0 flaky');
    expect(totals.problems.join('\n')).toMatch(/broken\.test\.ts failed without running its tests: cannot load/);
    expect(succeeded(totals)).toBe(false);
  });

  it('shows flaky specs on the closing line and fails the run', () => {
    const totals = summary('flaky');
    expect(closingLine(totals)).toBe('4 passed, 0 failed, 1 flaky');
    expect(succeeded(totals)).toBe(false);
  });

  it.each(['missing-report', 'corrupt', 'runner-failed'])('counts a runner error (%s) as a failure', (name) => {
    const totals = summary(name);
    expect(totals.failed).toBe(1);
    expect(succeeded(totals)).toBe(false);
  });

  it('names the runner whose report is missing or unreadable', () => {
    expect(summary('missing-report').problems[0]).toMatch(/playwright: no report/);
    expect(summary('corrupt').problems[0]).toMatch(/vitest: unreadable report/);
  });

  it('counts a committed .only refused by Playwright (forbidOnly) as a failure', () => {
    const totals = summary('forbid-only');
    expect(closingLine(totals)).toBe('3 passed, 1 failed, 0 flaky');
    expect(totals.problems[0]).toMatch(/forbidOnly/);
  });

  it('counts the fresh-machine checks, and a check that stopped early as a failure', () => {
    const totals = summary('fresh-machine-failed', ['vitest', 'playwright', 'fresh-machine']);
    expect(closingLine(totals)).toBe('6 passed, 2 failed, 0 flaky');
    expect(totals.problems).toEqual([
      'fresh-machine: root, 0700 folder, spaces: second start keeps the data: the demo data was seeded again',
      'fresh-machine: the check stopped before its end',
    ]);
    expect(summary('green', ['vitest', 'playwright', 'fresh-machine']).problems[0]).toMatch(/fresh-machine: no report/);
  });

  it('fails a run that executed no test', () => {
    expect(succeeded(summarize({ vitest: { numPassedTests: 0, numFailedTests: 0, success: true, testResults: [] } }))).toBe(false);
  });

  it('prints the problems, then the closing line last, and exits 1 on failure', () => {
    const script = path.join(import.meta.dirname, 'test-summary.mjs');
    const cli = (name) => spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, TEST_RESULTS_DIR: fixture(name) } });
    const red = cli('import-error');
    expect(red.status).toBe(1);
    expect(red.stdout.trim().split('\n').at(-1)).toBe('5 passed, 1 failed, 0 flaky');
    const green = cli('green');
    expect(green.status).toBe(0);
    expect(green.stdout.trim()).toBe('5 passed, 0 failed, 0 flaky');
  });
});
