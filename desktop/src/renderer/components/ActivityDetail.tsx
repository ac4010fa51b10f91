import type { ActivityItem } from '../../shared/types.ts';
import { typeLabel, workspaceLabel } from '../../shared/format.ts';
import { RelativeTime } from './RelativeTime.tsx';

const show = (value: unknown) => (value === null || value === undefined || value === '' ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** One entry in full: what changed (old → new), its details, and where to go from it. */
export function ActivityDetail({
  item,
  onClose,
  onOpenTarget,
  onMoreAboutThis,
}: {
  item: ActivityItem;
  onClose: () => void;
  /** Opens the entity in the host app (only offered when the entry has a target). */
  onOpenTarget: (targetUrl: string) => void;
  /** Filters the feed to this entry's entity. */
  onMoreAboutThis: (entityType: string | null, entityId: string) => void;
}) {
  const meta = Object.entries(item.meta ?? {}).filter(([key]) => key !== 'changes');
  return (
    <aside className="activity-detail" aria-label="Activity detail" data-testid="activity-detail">
      <header>
        <h2>{item.summary}</h2>
        <button type="button" className="link" onClick={onClose} aria-label="Close detail">
          ×
        </button>
      </header>
      <dl className="facts">
        <dt>Type</dt>
        <dd>{typeLabel(item.type)}</dd>
        <dt>Severity</dt>
        <dd>{item.severity}</dd>
        <dt>By</dt>
        <dd>{item.actor_name ?? 'System'}</dd>
        <dt>Workspace</dt>
        <dd>{workspaceLabel(item)}</dd>
        <dt>When</dt>
        <dd>
          <RelativeTime iso={item.created_at} /> · {new Date(item.created_at).toLocaleString()}
        </dd>
        {item.entity_id ? (
          <>
            <dt>About</dt>
            <dd>
              {item.entity_type} <code>{item.entity_id}</code>
            </dd>
          </>
        ) : null}
      </dl>
      {item.changes.length > 0 ? (
        <table className="changes" aria-label="Changes">
          <thead>
            <tr>
              <th>Field</th>
              <th>Old</th>
              <th>New</th>
            </tr>
          </thead>
          <tbody>
            {item.changes.map((change) => (
              <tr key={change.field} data-testid="change">
                <td>{change.field}</td>
                <td className="old">{show(change.from)}</td>
                <td className="new">→ {show(change.to)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {meta.length > 0 ? (
        <dl className="meta" aria-label="Details">
          {meta.map(([key, value]) => (
            <div key={key}>
              <dt>{key}</dt>
              <dd>{show(value)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <div className="actions">
        {/* Only an absolute target is in the host app; a bare path means none is configured. */}
        {item.target_url && /^https?:\/\//.test(item.target_url) ? (
          <button type="button" onClick={() => onOpenTarget(item.target_url!)}>
            Open in app
          </button>
        ) : null}
        {item.entity_id ? (
          <button type="button" className="secondary" onClick={() => onMoreAboutThis(item.entity_type, item.entity_id!)}>
            More about this
          </button>
        ) : null}
      </div>
    </aside>
  );
}
