import { useEffect } from 'react';
import { ACTIVITY_TYPES } from '../../shared/types.ts';
import { ActivityList, TypeSelect } from '../components/ActivityList.tsx';
import { ErrorLine } from '../components/ErrorLine.tsx';
import { LoadMore } from '../components/LoadMore.tsx';
import { useActivityStore } from '../stores/activity.ts';
import { useSessionStore } from '../stores/session.ts';

export function ActivityWindow({ initialType }: { initialType: string | null }) {
  const { items, filters, loading, loaded, error, nextCursor, fresh } = useActivityStore();
  const setFilters = useActivityStore((s) => s.setFilters);
  const load = useActivityStore((s) => s.load);
  const loadMore = useActivityStore((s) => s.loadMore);
  const me = useSessionStore((s) => s.session?.me);
  const switchWorkspace = useSessionStore((s) => s.switchWorkspace);
  const workspace = me?.current_workspace;

  useEffect(() => {
    if (initialType !== null && initialType !== (filters.type ?? '')) void setFilters({ type: initialType || undefined });
    else if (!loaded) void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initialType]);

  // The feed is per workspace: reload when the user switches.
  useEffect(() => {
    if (loaded) void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [workspace?.id]);

  return (
    <main className="window activity-window" aria-labelledby="activity-title">
      <header className="window-header">
        <h1 id="activity-title">Activity {workspace ? <span className="subtle">· {workspace.name}</span> : null}</h1>
        <div className="toolbar">
          {me && me.memberships.length > 1 ? (
            <label className="field-inline">
              Workspace
              <select value={workspace?.id ?? ''} onChange={(e) => void switchWorkspace(e.target.value)} aria-label="Workspace">
                {me.memberships.map((m) => (
                  <option key={m.workspace_id} value={m.workspace_id}>
                    {m.workspace_name}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <TypeSelect value={filters.type ?? ''} onChange={(v) => void setFilters({ type: v || undefined })} types={ACTIVITY_TYPES} />
        </div>
      </header>
      <ErrorLine error={error} />
      {!workspace && me ? (
        <div className="empty">
          <p className="empty-title">No workspace selected</p>
          <p>You are not a member of any workspace.</p>
        </div>
      ) : loaded && items.length === 0 && !error ? (
        <div className="empty" data-testid="empty-state">
          <p className="empty-title">No activity{filters.type ? ' of this type' : ''}</p>
        </div>
      ) : (
        <ActivityList items={items} fresh={fresh} showWorkspace={false} />
      )}
      <LoadMore onVisible={() => void loadMore()} hasMore={!!nextCursor} loading={loading} />
    </main>
  );
}
