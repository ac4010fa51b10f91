import { useEffect } from 'react';
import { ACTIVITY_TYPES } from '../../shared/types.ts';
import { filtersFromQuery, sameFilters, type ActivityViewFilters } from '../../shared/activity-filters.ts';
import { workspaceLabel } from '../../shared/format.ts';
import { ActivityFilterBar } from '../components/ActivityFilterBar.tsx';
import { ActivityList } from '../components/ActivityList.tsx';
import { exportRunner, navigateFilters, useActivityDetail } from '../components/ActivityTools.tsx';
import { ExportButton } from '../components/ExportButton.tsx';
import { ChoiceSelect } from '../components/ChoiceSelect.tsx';
import { ErrorLine } from '../components/ErrorLine.tsx';
import { LoadMore } from '../components/LoadMore.tsx';
import { RelativeTime } from '../components/RelativeTime.tsx';
import { useAdminActivityStore, useAdminRefsStore } from '../stores/activity.ts';
import { useSessionStore } from '../stores/session.ts';

export function Forbidden() {
  return (
    <main className="window" aria-labelledby="forbidden-title">
      <div className="empty" data-testid="forbidden">
        <h1 id="forbidden-title" className="empty-title">
          Admin activity is for super admins
        </h1>
        <p>Your account cannot see activity across workspaces. Your own workspace's activity is in the Activity window.</p>
      </div>
    </main>
  );
}

function CriticalEvents() {
  const { critical, criticalError } = useAdminRefsStore();
  return (
    <aside className="critical" aria-labelledby="critical-title" data-testid="critical-events">
      <h2 id="critical-title">Critical events</h2>
      {criticalError ? <p className="subtle">{criticalError}</p> : null}
      {!criticalError && critical.length === 0 ? <p className="subtle">No critical events.</p> : null}
      <ul>
        {critical.map((a) => (
          <li key={a.id}>
            <span className="activity-summary">{a.summary}</span>
            <span className="activity-meta">
              <span className="workspace">{workspaceLabel(a)}</span>
              <RelativeTime iso={a.created_at} />
            </span>
          </li>
        ))}
      </ul>
    </aside>
  );
}

export function AdminWindow({ query }: { query: URLSearchParams }) {
  const isSuperAdmin = useSessionStore((s) => s.session?.me?.is_super_admin === true);
  const { items, filters, loading, loaded, error, nextCursor, fresh } = useAdminActivityStore();
  const replaceFilters = useAdminActivityStore((s) => s.replaceFilters);
  const loadMore = useAdminActivityStore((s) => s.loadMore);
  const { workspaces, users, forbidden } = useAdminRefsStore();
  const loadRefs = useAdminRefsStore((s) => s.load);
  const loadUsers = useAdminRefsStore((s) => s.loadUsers);
  const { selected, setSelected, panel, notice } = useActivityDetail('admin', filters);
  const queryString = query.toString();

  useEffect(() => {
    if (!isSuperAdmin) return;
    void loadRefs();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [isSuperAdmin]);

  // The URL is the source of the filters (shareable views).
  useEffect(() => {
    if (!isSuperAdmin) return;
    const wanted = filtersFromQuery(query);
    if (wanted.workspace_id !== filters.workspace_id) void loadUsers(wanted.workspace_id);
    if (!sameFilters(wanted, filters) || !loaded) void replaceFilters(wanted);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [isSuperAdmin, queryString]);

  if (!isSuperAdmin || forbidden) return <Forbidden />;
  const go = (change: Partial<ActivityViewFilters>) => navigateFilters('admin', { ...filters, ...change });

  return (
    <main className="window admin-window" aria-labelledby="admin-title">
      <header className="window-header">
        <h1 id="admin-title">Admin activity</h1>
        <div className="toolbar">
          <a className="button-link" href="#/rules">
            Alert rules
          </a>
          <ExportButton run={exportRunner('admin', filters)} />
        </div>
        <ActivityFilterBar filters={filters} types={ACTIVITY_TYPES} onChange={go}>
          <label className="field-inline">
            Workspace
            <ChoiceSelect
              label="Filter by workspace"
              value={filters.workspace_id}
              none="All workspaces"
              options={workspaces.map((w) => ({ value: w.id, label: w.name }))}
              onChange={(workspace_id) => go({ workspace_id: workspace_id ?? undefined, actor_user_id: undefined })}
            />
          </label>
          <label className="field-inline">
            User
            <select aria-label="Filter by user" value={filters.actor_user_id ?? ''} onChange={(e) => go({ actor_user_id: e.target.value || undefined })}>
              <option value="">All users</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </label>
        </ActivityFilterBar>
      </header>
      <div className={`admin-body ${panel ? 'with-detail' : ''}`}>
        <section className="admin-feed" aria-label="All activity">
          <ErrorLine error={error ?? notice} />
          {loaded && items.length === 0 && !error ? (
            <div className="empty" data-testid="empty-state">
              <p className="empty-title">No activity matches these filters</p>
            </div>
          ) : (
            <ActivityList items={items} fresh={fresh} showWorkspace={true} q={filters.q} selectedId={selected?.id} onSelect={setSelected} />
          )}
          <LoadMore onVisible={() => void loadMore()} hasMore={!!nextCursor} loading={loading} />
        </section>
        {panel ?? <CriticalEvents />}
      </div>
    </main>
  );
}
