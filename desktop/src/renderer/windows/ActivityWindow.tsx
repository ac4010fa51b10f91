import { useEffect } from 'react';
import { filtersFromQuery, sameFilters, visibleActivityTypes } from '../../shared/activity-filters.ts';
import { ActivityFilterBar } from '../components/ActivityFilterBar.tsx';
import { ActivityList } from '../components/ActivityList.tsx';
import { exportRunner, navigateFilters, useActivityDetail } from '../components/ActivityTools.tsx';
import { platform } from '../platform/index.ts';
import { ErrorLine } from '../components/ErrorLine.tsx';
import { ExportButton } from '../components/ExportButton.tsx';
import { LoadMore } from '../components/LoadMore.tsx';
import { useActivityStore } from '../stores/activity.ts';
import { useAppStateStore } from '../stores/app-state.ts';
import { useSessionStore } from '../stores/session.ts';

export function ActivityWindow({ query }: { query: URLSearchParams }) {
  const { items, filters, loading, loaded, error, nextCursor, fresh } = useActivityStore();
  const replaceFilters = useActivityStore((s) => s.replaceFilters);
  const load = useActivityStore((s) => s.load);
  const loadMore = useActivityStore((s) => s.loadMore);
  const me = useSessionStore((s) => s.session?.me);
  const switchWorkspace = useSessionStore((s) => s.switchWorkspace);
  const workspace = me?.current_workspace;
  const isAdmin = workspace?.role === 'admin';
  const { selected, setSelected, panel, notice } = useActivityDetail('activity', filters);
  const queryString = query.toString();

  // The URL is the source of the filters: typing, a shared link and "more about this" all land here.
  useEffect(() => {
    const { workspace_id: _w, actor_user_id: _a, ...wanted } = filtersFromQuery(query);
    if (!sameFilters(wanted, filters) || !loaded) void replaceFilters(wanted);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [queryString]);

  // The feed is per workspace: reload when the user switches.
  useEffect(() => {
    if (loaded) void load();
    setSelected(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [workspace?.id]);

  // A feed that failed to load (server unreachable) loads again once the connection is back.
  const online = useAppStateStore((s) => s.connection === 'online');
  useEffect(() => {
    if (online && error) void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [online]);

  const filtered = Object.values(filters).some(Boolean);
  return (
    <main className="window activity-window" aria-labelledby="activity-title">
      <header className="window-header">
        <h1 id="activity-title">Activity {workspace ? <span className="subtle">· {workspace.name}</span> : null}</h1>
        {/* Without a workspace there is no feed to search, filter or export. */}
        {!workspace && me ? null : (
          <>
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
          {isAdmin ? (
            <a className="button-link" href="#/rules">
              Alert rules
            </a>
          ) : null}
          <ExportButton run={exportRunner('workspace', filters)} />
        </div>
        <ActivityFilterBar filters={filters} types={visibleActivityTypes(isAdmin)} onChange={(change) => navigateFilters('activity', { ...filters, ...change })} />
          </>
        )}
      </header>
      {workspace || !me ? <ErrorLine error={error ?? notice} /> : null}
      {error && (workspace || !me) ? (
        <button type="button" onClick={() => void load()} disabled={loading} data-testid="activity-retry">
          Retry
        </button>
      ) : null}
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
      ) : (
        <div className={`activity-body ${panel ? 'with-detail' : ''}`}>
          <section className="activity-feed" aria-label="Workspace activity">
            {loaded && items.length === 0 && !error ? (
              <div className="empty" data-testid="empty-state">
                <p className="empty-title">No activity{filtered ? ' matches these filters' : ''}</p>
              </div>
            ) : (
              <ActivityList items={items} fresh={fresh} showWorkspace={false} q={filters.q} selectedId={selected?.id} onSelect={setSelected} />
            )}
            <LoadMore onVisible={() => void loadMore()} hasMore={!!nextCursor} loading={loading} />
          </section>
          {panel}
        </div>
      )}
    </main>
  );
}
