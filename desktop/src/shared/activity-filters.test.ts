import { describe, expect, it } from 'vitest';
import { apiQueryFromFilters, filtersFromQuery, highlightParts, queryFromFilters } from './activity-filters.ts';

describe('activity filters in the URL', () => {
  it('round-trips through the query string and drops what is malformed', () => {
    const filters = { q: 'failed import', severity: 'critical' as const, from: '2026-11-01', to: '2026-11-30', entity_type: 'lead', entity_id: 'l-1' };
    const query = queryFromFilters(filters);
    expect(query).toBe('q=failed+import&severity=critical&from=2026-11-01&to=2026-11-30&entity_type=lead&entity_id=l-1');
    expect(filtersFromQuery(new URLSearchParams(query))).toEqual(filters);
    expect(filtersFromQuery(new URLSearchParams('severity=loud&from=yesterday&q=%20&type=job.failed'))).toEqual({ type: 'job.failed' });
  });

  it('turns the day range into since/until covering both days', () => {
    const query = apiQueryFromFilters({ from: '2026-11-01', to: '2026-11-02', q: 'x' });
    expect(query.q).toBe('x');
    expect(new Date(query.since!).getTime()).toBe(new Date(2026, 10, 1).getTime());
    expect(new Date(query.until!).getTime()).toBe(new Date(2026, 10, 3).getTime());
    expect(apiQueryFromFilters({}).since).toBeUndefined();
  });
});

describe('highlightParts', () => {
  it('marks word-prefix matches of every searched word, case-insensitively', () => {
    expect(highlightParts('Job enrich FAILED: failure again', 'fail enr')).toEqual([
      { text: 'Job ', match: false },
      { text: 'enr', match: true },
      { text: 'ich ', match: false },
      { text: 'FAIL', match: true },
      { text: 'ED: ', match: false },
      { text: 'fail', match: true },
      { text: 'ure again', match: false },
    ]);
  });

  it('leaves text alone without a query, and treats regex characters literally', () => {
    expect(highlightParts('a+b (c)', '')).toEqual([{ text: 'a+b (c)', match: false }]);
    expect(highlightParts('lead-4 and lead-44', 'lead-4')).toEqual([
      { text: 'lead-4', match: true },
      { text: ' and ', match: false },
      { text: 'lead-4', match: true },
      { text: '4', match: false },
    ]);
    expect(highlightParts('unfailing', 'fail')).toEqual([{ text: 'unfailing', match: false }]);
  });
});
