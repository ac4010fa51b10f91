import type { ActivityItem } from '../../shared/types.ts';
import { ChoiceSelect } from './ChoiceSelect.tsx';
import { Highlight } from './Highlight.tsx';
import { RelativeTime } from './RelativeTime.tsx';
import { typeLabel, workspaceLabel } from '../../shared/format.ts';
import { entityLabel } from '../../shared/audit-labels.ts';

export function ActivityList({
  items,
  fresh,
  showWorkspace,
  q,
  selectedId,
  onSelect,
}: {
  items: ActivityItem[];
  fresh: string[];
  showWorkspace: boolean;
  /** The search, highlighted in each entry. */
  q?: string;
  selectedId?: string | null;
  /** Opens the entry's detail. */
  onSelect?: (item: ActivityItem) => void;
}) {
  return (
    <ul className="list activity-list" aria-label="Activity">
      {items.map((a) => (
        <li
          key={a.id}
          className={`activity severity-${a.severity} ${fresh.includes(a.id) ? 'fresh' : ''} ${selectedId === a.id ? 'selected' : ''}`}
          data-testid="activity"
          data-type={a.type}
          data-id={a.id}
          tabIndex={onSelect ? 0 : undefined}
          aria-current={onSelect && selectedId === a.id ? true : undefined}
          onClick={onSelect ? () => onSelect(a) : undefined}
          onKeyDown={onSelect ? (e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), onSelect(a)) : undefined}
        >
          <span className={`severity severity-${a.severity}`} title={a.severity}>
            {a.severity === 'info' ? '' : a.severity}
          </span>
          <span className="activity-text">
            <span className="activity-summary">
              <Highlight text={a.summary} q={q} />
            </span>
            <span className="activity-meta">
              <span className="type">{typeLabel(a.type)}</span>
              {a.actor_name ? (
                <span>
                  by <Highlight text={a.actor_name} q={q} />
                </span>
              ) : null}
              {/* Only when the search found the entry by its entity's id: the id is why it is here. */}
              {q && a.entity_id && a.entity_id.toLowerCase().includes(q.trim().toLowerCase()) ? (
                <span className="entity truncate" title={`${entityLabel(a.entity_type)} ${a.entity_id}`}>
                  {entityLabel(a.entity_type)} <Highlight text={a.entity_id} q={q} />
                </span>
              ) : null}
              {showWorkspace ? <span className="workspace">{workspaceLabel(a)}</span> : null}
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
      <ChoiceSelect
        label="Filter by type"
        value={value || null}
        none="All types"
        options={types.map((t) => ({ value: t, label: typeLabel(t) }))}
        onChange={(type) => onChange(type ?? '')}
      />
    </label>
  );
}
