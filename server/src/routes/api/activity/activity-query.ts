import type { Static } from 'typebox';
import { dateParam } from '../../../lib/params.ts';
import type { WorkspaceActivityQuery } from '../../../schemas/activity.ts';

type Query = Omit<Static<typeof WorkspaceActivityQuery>, 'page' | 'page_size' | 'cursor'> & Partial<Static<typeof WorkspaceActivityQuery>>;

/** The query's filters and page, as listActivity takes them (shared by both activity feeds and their exports). */
export function activityQueryOptions(query: Query) {
  return {
    filters: {
      search: query.q === undefined || query.q.trim() === '' ? undefined : query.q,
      type: query.type,
      severity: query.severity,
      entityType: query.entity_type,
      entityId: query.entity_id,
      since: dateParam(query.since),
      until: dateParam(query.until),
    },
    page: { page: query.page ?? 1, pageSize: query.page_size ?? 20, cursor: query.cursor },
  };
}
