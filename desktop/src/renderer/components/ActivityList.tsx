import type { ActivityItem } from '../../shared/types.ts';
import { RelativeTime } from './RelativeTime.tsx';
import { typeLabel } from '../../shared/format.ts';

export function ActivityList({ items, fresh, showWorkspace }: { items: ActivityItem[]; fresh: string[]; showWorkspace: boolean }) {
  return (
    <ul className="list activity-list" aria-label="Activity">
      {items.map((a) => (
        <li key={a.id} className={`activity severity-${a.severity} ${fresh.includes(a.id) ? 'fresh' : ''}`} data-testid="activity" data-type={a.type}>
          <span className={`severity severity-${a.severity}`} title={a.severity}>
            {a.severity === 'info' ? '' : a.severity}
          </span>
          <span className="activity-text">
            <span className="activity-summary">{a.summary}</span>
            <span className="activity-meta">
              <span className="type">{typeLabel(a.type)}</span>
              {a.actor_name ? <span>by {a.actor_name}</span> : null}
              {showWorkspace ? <span className="workspace">{a.workspace_name}</span> : null}
              <RelativeTime iso={a.created_at} />
            </span>
          </span>
        </li>
      ))}
    </ul>
  );
}

export function TypeSelect({ value, onChange, types }: { value: string; onChange: (v: string) => void; types: readonly string[] }) {
  return (
    <label className="field-inline">
      Type
      <select value={value} onChange={(e) => onChange(e.target.value)} aria-label="Filter by type">
        <option value="">All types</option>
        {types.map((t) => (
          <option key={t} value={t}>
            {typeLabel(t)}
          </option>
        ))}
      </select>
    </label>
  );
}
