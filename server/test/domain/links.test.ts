import { afterEach, describe, expect, it } from 'vitest';
import { absoluteTargetUrl, entityPath, notificationPageUrl, setAppBaseUrl } from '../../src/domain/links.ts';
import { activityChanges, activityTargetUrl, INTEGRATION_SOURCE } from '../../src/domain/targets.ts';

afterEach(() => setAppBaseUrl(undefined));

describe('links into the host app', () => {
  it('keeps a target a path while no host app is configured, and joins it to the base when one is', () => {
    expect(absoluteTargetUrl('/leads/1')).toBe('/leads/1');
    setAppBaseUrl('https://sales.example.com/app///');
    expect(absoluteTargetUrl('/leads/1')).toBe('https://sales.example.com/app/leads/1');
    expect(absoluteTargetUrl('leads/1')).toBe('https://sales.example.com/app/leads/1');
    expect(absoluteTargetUrl(null)).toBeNull();
  });

  it('passes absolute targets through as they are', () => {
    setAppBaseUrl('https://sales.example.com');
    expect(absoluteTargetUrl('https://elsewhere.example.com/x')).toBe('https://elsewhere.example.com/x');
    expect(absoluteTargetUrl('mailto:ada@example.com')).toBe('mailto:ada@example.com');
  });

  it('keeps an entity id one path segment, and gives no path for ids a browser would resolve away', () => {
    expect(entityPath('/jobs', 'a/b?c#d')).toBe('/jobs/a%2Fb%3Fc%23d');
    expect(entityPath('/jobs', 'j1', '?tab=log')).toBe('/jobs/j1?tab=log');
    for (const id of ['', '.', '..']) expect(entityPath('/jobs', id)).toBeNull();
  });

  it("points a notification without a host app at the web app's own page for it", () => {
    expect(notificationPageUrl('https://notify.example.com', 'n 1')).toBe('https://notify.example.com/#/bell?notification=n%201');
  });
});

describe('activity targets and changes', () => {
  it('opens each kind of entity where the host app shows it, and nothing for the rest', () => {
    expect(activityTargetUrl('lead', 'l1', {})).toMatch(/^\/leads\/l1/);
    expect(activityTargetUrl('task', 't1', { lead_id: 'l1' })).toMatch(/^\/leads\/l1\?tab=tasks/);
    expect(activityTargetUrl('task', 't1', {})).toBeNull();
    expect(activityTargetUrl('campaign', 'c1', {})).toBe('/campaigns/c1');
    expect(activityTargetUrl('job', 'j1', {})).toMatch(/^\/jobs\/j1/);
    expect(activityTargetUrl('api_key', 'k1', {})).toBeNull();
    expect(activityTargetUrl('lead', null, {})).toBeNull();
  });

  it("reads the server's own change records, never an integration's meta", () => {
    const meta = { changes: { status: { from: 'new', to: 'won' }, junk: 'x', half: { from: 1 } } };
    expect(activityChanges(meta)).toEqual([{ field: 'status', from: 'new', to: 'won' }]);
    expect(activityChanges({ ...meta, source: INTEGRATION_SOURCE })).toEqual([]);
    expect(activityChanges({ changes: [1, 2] })).toEqual([]);
  });
});
