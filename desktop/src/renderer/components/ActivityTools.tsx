import { useState } from 'react';
import { queryFromFilters, type ActivityViewFilters } from '../../shared/activity-filters.ts';
import type { ActivityItem, ExportFormat } from '../../shared/types.ts';
import { platform } from '../platform/index.ts';
import { feedQuery } from '../stores/activity.ts';
import { ActivityDetail } from './ActivityDetail.tsx';

/** Writes the filters into the window's URL; the window loads what the URL says (shareable views). */
export function navigateFilters(route: 'activity' | 'admin', filters: ActivityViewFilters) {
  const query = queryFromFilters(filters);
  window.location.hash = `#/${route}${query ? `?${query}` : ''}`;
}

/** Runs an export of the feed's filters, reporting the rows received so far. */
export function exportRunner(scope: 'workspace' | 'admin', filters: ActivityViewFilters) {
  return async (format: ExportFormat, onProgress: (rows: number) => void) => {
    const off = platform.on.exportProgress((p) => onProgress(p.rows));
    try {
      const { cursor: _c, page_size: _p, ...query } = feedQuery(filters);
      const scoped = scope === 'workspace' ? { ...query, workspace_id: undefined, actor_user_id: undefined } : query;
      return await platform.activity.export({ scope, format, query: scoped });
    } finally {
      off();
    }
  };
}

/** The detail side panel of a feed: open in the host app, or narrow the feed to the entity. */
export function useActivityDetail(route: 'activity' | 'admin', filters: ActivityViewFilters) {
  const [selected, setSelected] = useState<ActivityItem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const panel = selected ? (
    <ActivityDetail
      item={selected}
      onClose={() => setSelected(null)}
      onOpenTarget={(target) =>
        void platform.activity.openTarget(target).then((r) => setNotice(r.opened === 'refused' ? 'This link is not on the configured web app; it was not opened.' : null))
      }
      onMoreAboutThis={(entityType, entityId) => {
        const { workspace_id, actor_user_id } = filters;
        navigateFilters(route, { workspace_id, actor_user_id, entity_type: entityType ?? undefined, entity_id: entityId });
      }}
    />
  ) : null;
  return { selected, setSelected, panel, notice };
}
