import { useEffect } from 'react';
import { AUDIT_ACTIVITY_TYPES } from '@tray-notify/contract/lists';
import { ACTIVITY_TYPES } from '../../shared/types.ts';
import { platform } from '../platform/index.ts';
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
          <TypeSelect
            value={filters.type ?? ''}
            onChange={(v) => void setFilters({ type: v || undefined })}
            // Members never see audit entries: do not offer them.
            types={workspace?.role === 'admin' ? ACTIVITY_TYPES : ACTIVITY_TYPES.filter((t) => !AUDIT_ACTIVITY_TYPES.includes(t))}
          />
        </div>
      </header>
      {workspace || !me ? <ErrorLine error={error} /> : null}
      {!workspace && me ? (
        <div className="empty" data-testid="no-workspace">
          {me.is_super_admin ? (
            <>
              <p className="empty-title">You are a super admin, not a member of a workspace</p>
              <p>
                So there is no workspace feed here. Critical events of every workspace come to your notifications, and the admin
                activity shows what happens in all of them.
              </p>
              <button type="button" onClick={() => void platform.windows.open('admin')}>
                Open admin activity
              </button>
            </>
          ) : (
            <>
              <p className="empty-title">No workspace yet</p>
              <p>You are not a member of any workspace. Ask an admin of your team to add you.</p>
            </>
          )}
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
