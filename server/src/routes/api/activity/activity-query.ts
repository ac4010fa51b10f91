import type { Static } from 'typebox';
import { dateParam } from '../../../lib/params.ts';
import type { WorkspaceActivityQuery } from '../../../schemas/activity.ts';

type Query = Omit<Static<typeof WorkspaceActivityQuery>, 'page' | 'page_size' | 'cursor'> & Partial<Static<typeof WorkspaceActivityQuery>>;

/** From this offset on a `page` makes PostgreSQL walk the rows before it: such pages are expensive reads. */
const EXPENSIVE_OFFSET = 1_000;

/** A full-text search or a deep page by number: reads whose cost grows with the workspace's log. */
export function isExpensiveActivityQuery(query: Pick<Query, 'q' | 'page' | 'page_size' | 'cursor'>): boolean {
  if (query.q !== undefined && query.q.trim() !== '') return true;
  return !query.cursor && ((query.page ?? 1) - 1) * (query.page_size ?? 20) >= EXPENSIVE_OFFSET;
}

/** The query's filters and page, as listActivity takes them (shared by both activity feeds and their exports). */
export function activityQueryOptions(query: Query) {
  return {
    filters: {
      search: query.q === undefined || query.q.trim() === '' ? undefined : query.q,
      type: query.type,
      severity: query.severity,
      entityType: query.entity_type,
      entityId: query.entity_id,
      ids: query.ids?.split(','),
      since: dateParam(query.since),
      until: dateParam(query.until),
    },
    page: { page: query.page ?? 1, pageSize: query.page_size ?? 20, cursor: query.cursor },
  };
}
