import { describe, expect, it } from 'vitest';
import { resolveTarget } from './target-url.ts';

const BASE = 'https://app.acme.test';

describe('resolveTarget', () => {
  it('opens a path of the web app on the configured origin', () => {
    expect(resolveTarget('/leads/42?tab=tasks', BASE)).toEqual({ kind: 'external', url: 'https://app.acme.test/leads/42?tab=tasks' });
  });

  it('keeps a path prefix of the base URL', () => {
    expect(resolveTarget('/leads/1', 'https://acme.test/app/')).toEqual({ kind: 'external', url: 'https://acme.test/app/leads/1' });
  });

  it('opens an id that holds dots or encoded slashes as the one segment it is', () => {
    expect(resolveTarget('/jobs/..%2F..%2Faccount%2Fdelete%3Fconfirm%3Dyes%23', BASE)).toEqual({
      kind: 'external',
      url: 'https://app.acme.test/jobs/..%2F..%2Faccount%2Fdelete%3Fconfirm%3Dyes%23',
    });
    expect(resolveTarget('/leads/a..b?tab=../x', BASE)).toEqual({ kind: 'external', url: 'https://app.acme.test/leads/a..b?tab=../x' });
  });

  it('accepts an absolute URL on the same origin', () => {
    expect(resolveTarget('https://app.acme.test/jobs/9', BASE)).toEqual({ kind: 'external', url: 'https://app.acme.test/jobs/9' });
  });

  it.each([
    ['javascript:alert(1)', 'scheme'],
    ['file:///etc/passwd', 'scheme'],
    ['https://evil.test/leads/1', 'origin'],
    ['https://app.acme.test.evil.test/x', 'origin'],
    ['https://app.acme.test@evil.test/x', 'credentials'],
    ['http://app.acme.test/x', 'origin'],
    ['//evil.test/x', 'origin'],
    ['/\\evil.test/x', 'backslash'],
    ['/leads/1\r\n//evil.test', 'control'],
    ['/leads/\u0000x', 'control'],
    ['data:text/html,<script>', 'scheme'],
    ['/jobs/../../account/delete?confirm=yes#', 'dot segments'],
    ['https://app.acme.test/jobs/../../account/delete?confirm=yes#', 'dot segments'],
    ['/jobs/%2e%2E/account/delete', 'encoded dot segments'],
    ['/leads/./x', 'dot segment'],
  ])('refuses %s', (target, why) => {
    const r = resolveTarget(target, BASE);
    expect(r.kind, why).toBe('refused');
  });

  it('without a web app base URL: opens the server\'s absolute target (APP_BASE_URL), shows a bare path in place', () => {
    // A path used to open on the notify server itself: a blank page with broken assets.
    expect(resolveTarget('/leads/1', null)).toEqual({ kind: 'detail' });
    expect(resolveTarget('https://sales.example.com/leads/1?tab=tasks', null)).toEqual({
      kind: 'external',
      url: 'https://sales.example.com/leads/1?tab=tasks',
    });
    expect(resolveTarget('javascript:alert(1)', null).kind).toBe('detail');
    expect(resolveTarget('https://user:pw@sales.example.com/', null).kind).toBe('refused');
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(resolveTarget('/leads/1', 'file:///tmp').kind).toBe('refused');
  });

  it('sends activity targets to the app\'s own activity window', () => {
    expect(resolveTarget('/activity?type=job.failed', BASE)).toEqual({ kind: 'activity', query: 'type=job.failed' });
    expect(resolveTarget('/activity', BASE)).toEqual({ kind: 'activity', query: '' });
    expect(resolveTarget('/activityfeed', BASE).kind).toBe('external');
  });

  it('does nothing for a notification without a target', () => {
    expect(resolveTarget(null, BASE)).toEqual({ kind: 'none' });
    expect(resolveTarget('  ', BASE)).toEqual({ kind: 'none' });
  });
});
