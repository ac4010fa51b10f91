// node --test .ci/  (run by .ci/run before the suites): the closing line counts everything that went wrong.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { closingLine, readReports, succeeded, summarize } from './test-summary.mjs';

const fixture = (name) => path.join(import.meta.dirname, 'fixtures', name);
const summary = (name) => summarize(readReports(fixture(name)));

describe('test-summary', () => {
  it('passes a run where every test passed', () => {
    const totals = summary('green');
    assert.equal(closingLine(totals), '5 passed, 0 failed, 0 flaky');
    assert.equal(succeeded(totals), true);
  });

  it('counts a failed test once', () => {
    const totals = summary('failed-test');
    assert.equal(closingLine(totals), '3 passed, 1 failed, 0 flaky');
    assert.equal(succeeded(totals), false);
  });

  it('counts a test file that throws on import as a failure and names it', () => {
    const totals = summary('import-error');
    assert.equal(closingLine(totals), '5 passed, 1 failed, 0 flaky');
    assert.match(totals.problems.join('\n'), /broken\.test\.ts failed without running its tests: cannot load/);
    assert.equal(succeeded(totals), false);
  });

  it('shows flaky specs on the closing line and fails the run', () => {
    const totals = summary('flaky');
    assert.equal(closingLine(totals), '4 passed, 0 failed, 1 flaky');
    assert.equal(succeeded(totals), false);
  });

  it('counts a missing report, an unreadable report and a run the runner calls failed', () => {
    for (const name of ['missing-report', 'corrupt', 'runner-failed']) {
      const totals = summary(name);
      assert.equal(totals.failed, 1, name);
      assert.equal(succeeded(totals), false, name);
    }
    assert.match(summary('missing-report').problems[0], /playwright: no report/);
    assert.match(summary('corrupt').problems[0], /vitest: unreadable report/);
  });

  it('counts a committed .only refused by Playwright (forbidOnly) as a failure', () => {
    const totals = summary('forbid-only');
    assert.equal(closingLine(totals), '3 passed, 1 failed, 0 flaky');
    assert.match(totals.problems[0], /forbidOnly/);
  });

  it('fails a run that executed no test', () => {
    assert.equal(succeeded(summarize({ vitest: { numPassedTests: 0, numFailedTests: 0, success: true, testResults: [] } })), false);
  });

  it('prints the problems, then the closing line last, and exits 1 on failure', () => {
    const script = path.join(import.meta.dirname, 'test-summary.mjs');
    const red = spawnSync(process.execPath, [script, fixture('import-error')], { encoding: 'utf8' });
    assert.equal(red.status, 1);
    assert.equal(red.stdout.trim().split('\n').at(-1), '5 passed, 1 failed, 0 flaky');
    const green = spawnSync(process.execPath, [script, fixture('green')], { encoding: 'utf8' });
    assert.equal(green.status, 0);
    assert.equal(green.stdout.trim(), '5 passed, 0 failed, 0 flaky');
  });
});
