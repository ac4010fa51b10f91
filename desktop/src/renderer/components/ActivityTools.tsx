import { useEffect, useState } from 'react';
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

/**
 * Names of the people (and, for super admins, workspaces) a feed's entries mention by id:
 * the workspace's members, or every user for the admin view. Loaded once a detail opens.
 */
function useNames(route: 'activity' | 'admin', wanted: boolean): ReadonlyMap<string, string> {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    if (!wanted || names.size > 0) return;
    let live = true;
    const load =
      route === 'admin'
        ? Promise.all([platform.admin.users(), platform.admin.workspaces()]).then(([users, workspaces]) => [
            ...users.items.map((u) => [u.id, u.name] as const),
            ...workspaces.items.map((w) => [w.id, w.name] as const),
          ])
        : platform.workspace.members().then((r) => r.items.map((m) => [m.user_id, m.name] as const));
    // Without names the detail still reads, with short ids.
    load.then((pairs) => live && setNames(new Map(pairs))).catch(() => undefined);
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [route, wanted]);
  return names;
}

/** The detail panel of a feed: open in the host app, or narrow the feed to the entity. */
export function useActivityDetail(route: 'activity' | 'admin', filters: ActivityViewFilters) {
  const [selected, setSelected] = useState<ActivityItem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const names = useNames(route, selected !== null);
  const panel = selected ? (
    <ActivityDetail
      item={selected}
      names={names}
      onClose={() => {
        const id = selected.id;
        setSelected(null);
        // Back to the entry the detail was opened from.
        requestAnimationFrame(() => document.querySelector<HTMLElement>(`.activity[data-id="${CSS.escape(id)}"]`)?.focus());
      }}
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
