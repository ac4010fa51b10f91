import { useEffect, useRef } from 'react';
import type { ActivityItem } from '../../shared/types.ts';
import { typeLabel, workspaceLabel } from '../../shared/format.ts';
import { entityLabel, fieldLabel, valueLabel } from '../../shared/audit-labels.ts';
import { RelativeTime } from './RelativeTime.tsx';

function Value({ value, names }: { value: unknown; names: ReadonlyMap<string, string> }) {
  const { text, title } = valueLabel(value, names);
  return <span title={title}>{text}</span>;
}

/** One entry in full: what changed (old → new), its details, and where to go from it. */
export function ActivityDetail({
  item,
  onClose,
  onOpenTarget,
  onMoreAboutThis,
  names,
}: {
  item: ActivityItem;
  /** People's and workspaces' names by id, so the entry reads without UUIDs. */
  names: ReadonlyMap<string, string>;
  onClose: () => void;
  /** Opens the entity in the host app (only offered when the entry has a target). */
  onOpenTarget: (targetUrl: string) => void;
  /** Filters the feed to this entry's entity. */
  onMoreAboutThis: (entityType: string | null, entityId: string) => void;
}) {
  const meta = Object.entries(item.meta ?? {}).filter(([key]) => key !== 'changes');
  const ref = useRef<HTMLElement>(null);
  // Where the keyboard goes when an entry opens (in a narrow window the detail covers the list).
  useEffect(() => ref.current?.focus(), [item.id]);
  const about = item.entity_id ? (item.entity_type === 'user' ? names.get(item.entity_id) : undefined) : undefined;
  return (
    <aside
      className="activity-detail"
      aria-label="Activity detail"
      data-testid="activity-detail"
      ref={ref}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
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
              {entityLabel(item.entity_type)}{' '}
              {about ?? (
                <code className="truncate" title={item.entity_id}>
                  {item.entity_id}
                </code>
              )}
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
                <td title={change.field}>{fieldLabel(change.field)}</td>
                <td className="old">
                  <Value value={change.from} names={names} />
                </td>
                <td className="new">
                  → <Value value={change.to} names={names} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {meta.length > 0 ? (
        <dl className="meta" aria-label="Details">
          {meta.map(([key, value]) => (
            <div key={key}>
              <dt title={key}>{fieldLabel(key)}</dt>
              <dd>
                <Value value={value} names={names} />
              </dd>
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
