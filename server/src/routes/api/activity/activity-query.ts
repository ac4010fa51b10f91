import type { Static } from 'typebox';
import { dateParam } from '../../../lib/params.ts';
import type { WorkspaceActivityQuery } from '../../../schemas/activity.ts';

/** The query's filters and page, as listActivity takes them (shared by both activity feeds). */
export function activityQueryOptions(query: Static<typeof WorkspaceActivityQuery>) {
  return {
    filters: {
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
