import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ActivityViewFilters } from '../../shared/activity-filters.ts';
import { SEVERITIES } from '../../shared/types.ts';
import { TypeSelect } from './ActivityList.tsx';
import { ChoiceSelect } from './ChoiceSelect.tsx';

/** Search, type, severity and day range: the filters both activity windows share. */
export function ActivityFilterBar({
  filters,
  types,
  onChange,
  children,
}: {
  filters: ActivityViewFilters;
  /** Only the types the viewer may see. */
  types: readonly string[];
  onChange: (change: Partial<ActivityViewFilters>) => void;
  /** Window-specific filters (workspace, user) and actions (export). */
  children?: ReactNode;
}) {
  const [q, setQ] = useState(filters.q ?? '');
  // Narrow windows fold the filters away behind one button (CSS shows it only there).
  const [open, setOpen] = useState(false);
  const active = [filters.type, filters.severity, filters.from, filters.to, filters.workspace_id, filters.actor_user_id].filter(Boolean).length;
  // The debounced search must apply to the filters as they are when it fires, not when typed.
  const latest = useRef(onChange);
  latest.current = onChange;
  // The URL or "more about this" can change the search; the box follows.
  useEffect(() => setQ(filters.q ?? ''), [filters.q]);
  // Search as you type, once typing pauses.
  useEffect(() => {
    if ((filters.q ?? '') === q.trim()) return;
    const timer = setTimeout(() => latest.current({ q: q.trim() || undefined }), 300);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q]);
  return (
    <div className={`toolbar filters${open ? ' filters-open' : ''}`} role="search" id="activity-filters">
      <input
        type="search"
        className="search"
        placeholder="Search summary, people, ids…"
        aria-label="Search activity"
        value={q}
        maxLength={200}
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') onChange({ q: q.trim() || undefined });
        }}
      />
      <button type="button" className="filters-toggle" aria-expanded={open} aria-controls="activity-filters" onClick={() => setOpen(!open)}>
        Filters{active > 0 ? ` (${active})` : ''}
      </button>
      {children}
      <TypeSelect value={filters.type ?? ''} onChange={(v) => onChange({ type: v || undefined })} types={types} />
      <label className="field-inline">
        Severity
        <ChoiceSelect
          label="Filter by severity"
          value={filters.severity}
          none="Any"
          options={SEVERITIES.map((s) => ({ value: s, label: s }))}
          onChange={(severity) => onChange({ severity: severity ?? undefined })}
        />
      </label>
      <label className="field-inline">
        From
        <input type="date" aria-label="From day" value={filters.from ?? ''} max={filters.to} onChange={(e) => onChange({ from: e.target.value || undefined })} />
      </label>
      <label className="field-inline">
        To
        <input type="date" aria-label="To day" value={filters.to ?? ''} min={filters.from} onChange={(e) => onChange({ to: e.target.value || undefined })} />
      </label>
      {filters.ids ? (
        <span className="chip" data-testid="ids-filter">
          {filters.ids.split(',').length === 1 ? 'The entry that fired an alert' : `The ${filters.ids.split(',').length} entries that fired an alert`}
          <button type="button" className="link" aria-label="Show all entries" onClick={() => onChange({ ids: undefined })}>
            ×
          </button>
        </span>
      ) : null}
      {filters.entity_id ? (
        <span className="chip" data-testid="entity-filter">
          {filters.entity_type ?? 'entity'} {filters.entity_id}
          <button type="button" className="link" aria-label="Show all entities" onClick={() => onChange({ entity_type: undefined, entity_id: undefined })}>
            ×
          </button>
        </span>
      ) : null}
    </div>
  );
}
