import { useEffect, useState, type FormEvent } from 'react';
import type { AlertRule, AlertRuleInput, Role, Severity } from '../../shared/types.ts';
import { SEVERITIES } from '../../shared/types.ts';
import { typeLabel } from '../../shared/format.ts';
import { visibleActivityTypes } from '../../shared/activity-filters.ts';
import { ChoiceSelect } from '../components/ChoiceSelect.tsx';
import { ErrorLine } from '../components/ErrorLine.tsx';
import { RelativeTime } from '../components/RelativeTime.tsx';
import { errorMessage } from '../platform/index.ts';
import { useAdminRefsStore } from '../stores/activity.ts';
import { useAlertRulesStore } from '../stores/alert-rules.ts';
import { useSessionStore } from '../stores/session.ts';

export const condition = (rule: Pick<AlertRule, 'threshold' | 'types' | 'window_minutes' | 'min_severity'>) =>
  `${rule.threshold} × ${rule.types.map(typeLabel).join(' or ')}${rule.min_severity ? ` (${rule.min_severity}+)` : ''} within ${rule.window_minutes} min`;

const recipients = (rule: AlertRule) =>
  [
    ...rule.notify.roles.map((role) => `${role}s`),
    ...(rule.notify.user_ids.length ? [`${rule.notify.user_ids.length} named`] : []),
    ...(rule.notify.super_admins ? ['super admins'] : []),
  ].join(', ');

/** The form's state: plain values, turned into the API's body on save. */
interface Draft {
  name: string;
  types: string[];
  min_severity: Severity | null;
  threshold: number;
  window_minutes: number;
  roles: Role[];
  user_ids: string[];
  super_admins: boolean;
  email: boolean;
  workspace_id: string | null;
}

const toInput = (draft: Draft): AlertRuleInput => ({
  name: draft.name,
  types: draft.types as AlertRuleInput['types'],
  min_severity: draft.min_severity,
  threshold: draft.threshold,
  window_minutes: draft.window_minutes,
  notify: { roles: draft.roles, user_ids: draft.user_ids, super_admins: draft.super_admins },
  channels: draft.email ? ['in_app', 'email'] : ['in_app'],
});

function RuleForm({ rule, onDone }: { rule: AlertRule | null; onDone: () => void }) {
  const me = useSessionStore((s) => s.session?.me);
  const save = useAlertRulesStore((s) => s.save);
  const workspaces = useAdminRefsStore((s) => s.workspaces);
  const people = useAlertRulesStore((s) => s.people);
  const loadPeople = useAlertRulesStore((s) => s.loadPeople);
  const isSuperAdmin = me?.is_super_admin === true;
  const [draft, setDraft] = useState<Draft>(() => ({
    name: rule?.name ?? '',
    types: rule?.types ?? [],
    min_severity: rule?.min_severity ?? null,
    threshold: rule?.threshold ?? 3,
    window_minutes: rule?.window_minutes ?? 10,
    roles: rule?.notify.roles ?? ['admin'],
    user_ids: rule?.notify.user_ids ?? [],
    super_admins: rule?.notify.super_admins ?? false,
    email: rule?.channels.includes('email') ?? false,
    workspace_id: rule ? rule.workspace_id : (me?.current_workspace?.id ?? null),
  }));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // The server refuses rules on alerts (they would set each other off); a rule stored before
  // still shows the type, so that it can be unticked.
  const types = visibleActivityTypes(true).filter((type) => type !== 'alert_rule.triggered' || rule?.types.includes(type));
  useEffect(() => {
    loadPeople(draft.workspace_id, isSuperAdmin).catch((err) => setError(errorMessage(err)));
  }, [draft.workspace_id, isSuperAdmin, loadPeople]);
  const change = (c: Partial<Draft>) => setDraft((current) => ({ ...current, ...c }));
  const toggle = <T,>(list: readonly T[], value: T, on: boolean) => (on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (draft.types.length === 0) {
      setError('Choose at least one kind of activity under “When these happen”.');
      document.getElementById('rule-types-legend')?.scrollIntoView({ block: 'nearest' });
      return;
    }
    setSaving(true);
    try {
      const input = toInput(draft);
      await save(rule ? input : { ...input, ...(isSuperAdmin ? { workspace_id: draft.workspace_id } : {}) }, rule?.id);
      onDone();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };
  const input = draft;

  return (
    <form className="rule-form" onSubmit={(e) => void submit(e)} aria-label={rule ? 'Edit rule' : 'New rule'}>
      <label>
        Name
        <input value={input.name} onChange={(e) => change({ name: e.target.value })} required maxLength={100} />
      </label>
      {isSuperAdmin && !rule ? (
        <label>
          Workspace
          <ChoiceSelect
            label="Rule workspace"
            value={input.workspace_id}
            none="All workspaces"
            options={workspaces.map((w) => ({ value: w.id, label: w.name }))}
            onChange={(workspace_id) => change({ workspace_id, user_ids: [] })}
          />
        </label>
      ) : null}
      <fieldset className="rule-types">
        <legend id="rule-types-legend">When these happen</legend>
        {types.map((type) => (
          <label key={type} className="check">
            <input type="checkbox" checked={input.types.includes(type)} onChange={(e) => change({ types: toggle(input.types, type, e.target.checked) })} />
            {typeLabel(type)}
          </label>
        ))}
      </fieldset>
      <div className="rule-row">
        <label>
          At least
          <input type="number" aria-label="Threshold" min={1} max={10000} value={input.threshold} onChange={(e) => change({ threshold: Number(e.target.value) })} required />
        </label>
        <label>
          times within (minutes)
          <input type="number" aria-label="Window in minutes" min={1} max={10080} value={input.window_minutes} onChange={(e) => change({ window_minutes: Number(e.target.value) })} required />
        </label>
        <label>
          Minimum severity
          <ChoiceSelect
            label="Minimum severity"
            value={input.min_severity}
            none="Any"
            options={SEVERITIES.map((s) => ({ value: s, label: s }))}
            onChange={(min_severity) => change({ min_severity })}
          />
        </label>
      </div>
      <fieldset>
        <legend>Tell</legend>
        {(['admin', 'member'] as const).map((role) => (
          <label key={role} className="check">
            <input
              type="checkbox"
              checked={input.roles.includes(role)}
              onChange={(e) => change({ roles: toggle(input.roles, role, e.target.checked) })}
            />
            Workspace {role}s
          </label>
        ))}
        {isSuperAdmin ? (
          <label className="check">
            <input type="checkbox" checked={input.super_admins} onChange={(e) => change({ super_admins: e.target.checked })} />
            Super admins
          </label>
        ) : null}
      </fieldset>
      {people.length > 0 ? (
        <fieldset className="rule-people">
          <legend>Also tell these people</legend>
          {people.map((person) => (
            <label key={person.id} className="check" title={person.email}>
              <input
                type="checkbox"
                checked={input.user_ids.includes(person.id)}
                onChange={(e) => change({ user_ids: toggle(input.user_ids, person.id, e.target.checked) })}
              />
              {person.name}
            </label>
          ))}
        </fieldset>
      ) : null}
      <fieldset>
        <legend>How</legend>
        <label className="check">
          <input type="checkbox" checked={input.email} onChange={(e) => change({ email: e.target.checked })} />
          Also by email
        </label>
      </fieldset>
      <ErrorLine error={error} />
      <div className="actions">
        <button type="submit" disabled={saving}>
          {rule ? 'Save rule' : 'Create rule'}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Alert rules: what should tell whom. Workspace admins see their workspace's; super admins all. */
export function RulesWindow() {
  const me = useSessionStore((s) => s.session?.me);
  const { items, loaded, error } = useAlertRulesStore();
  const load = useAlertRulesStore((s) => s.load);
  const remove = useAlertRulesStore((s) => s.remove);
  const loadRefs = useAdminRefsStore((s) => s.load);
  const [editing, setEditing] = useState<AlertRule | 'new' | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const allowed = me?.is_super_admin === true || me?.current_workspace?.role === 'admin';

  useEffect(() => {
    if (!allowed) return;
    void load();
    if (me?.is_super_admin) void loadRefs();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [allowed, me?.current_workspace?.id]);

  if (!allowed) {
    return (
      <main className="window">
        <div className="empty" data-testid="forbidden">
          <h1 className="empty-title">Alert rules are for admins</h1>
          <p>Ask an admin of your workspace to set up an alert.</p>
        </div>
      </main>
    );
  }

  return (
    <main className="window rules-window" aria-labelledby="rules-title">
      <header className="window-header">
        <h1 id="rules-title">
          Alert rules {me?.is_super_admin ? <span className="subtle">· all workspaces</span> : <span className="subtle">· {me?.current_workspace?.name}</span>}
        </h1>
        <div className="toolbar">
          <button type="button" onClick={() => setEditing('new')} disabled={editing !== null}>
            New rule
          </button>
        </div>
      </header>
      <ErrorLine error={error ?? removeError} />
      {editing ? <RuleForm rule={editing === 'new' ? null : editing} onDone={() => setEditing(null)} /> : null}
      {loaded && items.length === 0 && !error ? (
        <div className="empty" data-testid="empty-state">
          <p className="empty-title">No alert rules yet</p>
          <p>A rule tells people when something happens too often, e.g. 3 failed jobs within 10 minutes.</p>
        </div>
      ) : (
        <table className="rules" aria-label="Alert rules">
          <thead>
            <tr>
              <th>Rule</th>
              <th>When</th>
              <th>Tells</th>
              <th>Last fired</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((rule) => (
              <tr key={rule.id} data-testid="rule">
                <td>
                  <strong>{rule.name}</strong>
                  <div className="subtle">{rule.workspace_name ?? 'All workspaces'}</div>
                </td>
                <td>{condition(rule)}</td>
                <td>
                  {recipients(rule)}
                  {rule.channels.includes('email') ? <div className="subtle">+ email</div> : null}
                </td>
                <td>{rule.last_fired_at ? <RelativeTime iso={rule.last_fired_at} /> : <span className="subtle">never</span>}</td>
                <td className="row-actions">
                  <button type="button" className="link" onClick={() => setEditing(rule)} aria-label={`Edit ${rule.name}`}>
                    Edit
                  </button>
                  <button
                    type="button"
                    className="link danger"
                    aria-label={`Delete ${rule.name}`}
                    onClick={() => {
                      if (!window.confirm(`Delete the rule “${rule.name}”?`)) return;
                      setRemoveError(null);
                      remove(rule.id).catch((err) => setRemoveError(errorMessage(err)));
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
