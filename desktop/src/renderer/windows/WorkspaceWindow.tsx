import { useEffect, useState, type FormEvent } from 'react';
import { CHANNEL_LABELS, typeLabel } from '../../shared/format.ts';
import {
  ESCALATABLE_NOTIFICATION_TYPES,
  PREFERENCE_CHANNELS,
  type ActivityRetention,
  type EscalatableNotificationType,
  type EscalationRule,
  type Role,
  type WorkspaceMember,
  type WorkspaceNotificationDefaults,
  type WorkspaceTypeDefaultInput,
} from '../../shared/types.ts';
import { ErrorLine } from '../components/ErrorLine.tsx';
import { FormFooter, useFormSave } from '../components/FormSave.tsx';
import { RelativeTime } from '../components/RelativeTime.tsx';
import { errorMessage, platform } from '../platform/index.ts';
import { useSessionStore } from '../stores/session.ts';

function Members({ meId }: { meId: string }) {
  const [members, setMembers] = useState<WorkspaceMember[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState<string | null>(null);

  const load = () =>
    platform.workspace
      .members()
      .then((r) => setMembers(r.items))
      .catch((err) => setError(errorMessage(err)));
  useEffect(() => {
    void load();
  }, []);

  const run = async (member: WorkspaceMember, action: () => Promise<unknown>, done: string) => {
    setBusy(member.user_id);
    setError(null);
    setStatus('');
    try {
      await action();
      setStatus(done);
      await load();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };
  const admins = members?.filter((m) => m.role === 'admin').length ?? 0;

  return (
    <section aria-labelledby="members-title" className="admin-section">
      <h2 id="members-title">Members {members ? <span className="subtle">({members.length})</span> : null}</h2>
      <ErrorLine error={error} />
      <p className="sr-only" role="status">
        {status}
      </p>
      {members ? (
        <ul className="members" aria-label="Members">
          {members.map((m) => {
            const lastAdmin = m.role === 'admin' && admins === 1;
            return (
              <li key={m.user_id} className="member" data-testid="member">
                <span className="member-who">
                  <strong className="truncate" title={m.name}>
                    {m.name}
                    {m.user_id === meId ? <span className="subtle"> (you)</span> : null}
                  </strong>
                  <span className="subtle truncate" title={m.email}>
                    {m.email}
                  </span>
                  <span className="subtle">
                    joined <RelativeTime iso={m.joined_at} />
                  </span>
                </span>
                <span className="member-actions">
                  <label className="field-inline">
                    <span className="sr-only">Role of {m.name}</span>
                    <select
                      value={m.role}
                      disabled={busy === m.user_id}
                      aria-describedby={lastAdmin ? `last-admin-${m.user_id}` : undefined}
                      onChange={(e) => {
                        const role = e.target.value as Role;
                        void run(m, () => platform.workspace.setMemberRole(m.user_id, role), `${m.name} is now ${role === 'admin' ? 'an admin' : 'a member'}.`);
                      }}
                    >
                      <option value="admin">Admin</option>
                      <option value="member">Member</option>
                    </select>
                  </label>
                  <button
                    type="button"
                    className="link danger"
                    disabled={busy === m.user_id || lastAdmin}
                    aria-describedby={lastAdmin ? `last-admin-${m.user_id}` : undefined}
                    onClick={() => {
                      if (!window.confirm(`Remove ${m.name} from the workspace? They lose its notifications and activity.`)) return;
                      void run(m, () => platform.workspace.removeMember(m.user_id), `${m.name} was removed.`);
                    }}
                  >
                    Remove<span className="sr-only"> {m.name}</span>
                  </button>
                  {lastAdmin ? (
                    <span id={`last-admin-${m.user_id}`} className="subtle hint">
                      The only admin: promote someone else first.
                    </span>
                  ) : null}
                </span>
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}

function Retention() {
  const [retention, setRetention] = useState<ActivityRetention | null>(null);
  const [days, setDays] = useState('');
  const { error, status, saving, save, refuse, setError } = useFormSave();

  useEffect(() => {
    platform.workspace
      .retention()
      .then((r) => {
        setRetention(r);
        setDays(r.retention_days === null ? '' : String(r.retention_days));
      })
      .catch((err) => setError(errorMessage(err)));
  }, []);

  const max = retention?.server_days ?? undefined;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = Number(days);
    if (!Number.isInteger(value) || value < 1 || (max !== undefined && value > max)) {
      refuse(max !== undefined ? `Choose a whole number of days from 1 to ${max}.` : 'Choose a whole number of days, 1 or more.');
      return;
    }
    await save(
      () => platform.workspace.setRetention(value),
      (next) => {
        setRetention(next);
        return `Activity is now kept ${next.retention_days} days.`;
      },
    );
  };

  return (
    <section aria-labelledby="retention-title" className="admin-section">
      <h2 id="retention-title">Activity retention</h2>
      {retention ? (
        <p className="subtle" data-testid="retention-now">
          {retention.retention_days === null ? 'All activity is kept.' : `Activity older than ${retention.retention_days} days is deleted.`}{' '}
          {retention.server_days !== null ? `This server keeps at most ${retention.server_days} days.` : 'This server sets no maximum.'}
        </p>
      ) : null}
      {/* noValidate: the form's own message names the allowed range, the browser's bubble would not. */}
      <form className="retention-form" onSubmit={(e) => void submit(e)} aria-label="Activity retention" noValidate>
        <label className="field">
          Keep activity for (days)
          <input
            type="number"
            inputMode="numeric"
            min={1}
            max={max}
            value={days}
            onChange={(e) => setDays(e.target.value)}
            aria-describedby="retention-help"
            required
          />
        </label>
        <p id="retention-help" className="subtle">
          Shorter retention deletes older entries in the background; the change is recorded in the activity.
        </p>
        <FormFooter error={error} status={status}>
          <button type="submit" className="primary" disabled={saving || !retention}>
            Save retention
          </button>
        </FormFooter>
      </form>
    </section>
  );
}

type DraftDefaults = Record<string, Required<WorkspaceTypeDefaultInput>>;

const draftOf = (defaults: WorkspaceNotificationDefaults): DraftDefaults =>
  Object.fromEntries(Object.entries(defaults.types).map(([type, { locked_by: _lockedBy, ...rest }]) => [type, rest]));

/** What members get per type until they choose for themselves, and the types kept on for everyone. */
function NotificationDefaults({ emailOn }: { emailOn: boolean }) {
  const [defaults, setDefaults] = useState<WorkspaceNotificationDefaults | null>(null);
  const [draft, setDraft] = useState<DraftDefaults>({});
  const { error, status, saving, save, setError, clearStatus } = useFormSave();

  const show = (next: WorkspaceNotificationDefaults) => {
    setDefaults(next);
    setDraft(draftOf(next));
  };
  useEffect(() => {
    platform.workspace
      .notificationDefaults()
      .then(show)
      .catch((err) => setError(errorMessage(err)));
  }, []);

  const dirty = defaults !== null && JSON.stringify(draft) !== JSON.stringify(draftOf(defaults));
  const change = (type: string, patch: Partial<DraftDefaults[string]>) => {
    clearStatus();
    setDraft((d) => {
      const next = { ...d[type]!, ...patch };
      // A locked type is on in the list and on the desktop: the server refuses it otherwise.
      if (next.locked) Object.assign(next, { in_app: true, desktop: true });
      return { ...d, [type]: next };
    });
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await save(
      () => platform.workspace.setNotificationDefaults(draft),
      (next) => {
        show(next);
        return 'Defaults saved. Members who chose for themselves keep their choice.';
      },
    );
  };
  const channels = PREFERENCE_CHANNELS.filter((c) => c !== 'email' || emailOn);

  return (
    <section aria-labelledby="defaults-title" className="admin-section">
      <h2 id="defaults-title">Notification defaults</h2>
      <p className="subtle">
        What members get for each type until they change it in their own settings. <strong>Keep on</strong> holds a type on in the list and on the desktop
        for everyone: they cannot turn it off or mute it.
        {defaults?.updated_by && defaults.updated_at ? (
          <>
            {' '}
            Last changed by {defaults.updated_by.name} <RelativeTime iso={defaults.updated_at} />.
          </>
        ) : null}
      </p>
      <form onSubmit={(e) => void submit(e)} aria-label="Notification defaults">
        <div className="table-scroll">
          <table className="prefs" data-testid="workspace-defaults">
            <thead>
              <tr>
                <th>Type</th>
                {channels.map((channel) => (
                  <th key={channel}>{CHANNEL_LABELS[channel]}</th>
                ))}
                <th>Keep on</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(draft).map(([type, value]) => (
                <tr key={type} data-locked={value.locked ? 'true' : undefined}>
                  <td>{typeLabel(type)}</td>
                  {channels.map((channel) => {
                    const held = value.locked && (channel === 'in_app' || channel === 'desktop');
                    return (
                      <td key={channel}>
                        <input
                          type="checkbox"
                          aria-label={`${typeLabel(type)}: ${CHANNEL_LABELS[channel]}`}
                          checked={value[channel]}
                          disabled={held || saving}
                          title={held ? 'Kept on for everyone' : undefined}
                          onChange={(e) => change(type, { [channel]: e.target.checked })}
                        />
                      </td>
                    );
                  })}
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${typeLabel(type)}: keep on for everyone`}
                      checked={value.locked}
                      disabled={saving}
                      onChange={(e) => change(type, { locked: e.target.checked })}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <FormFooter error={error} status={status}>
          <button type="submit" className="primary" disabled={saving || !dirty}>
            Save defaults
          </button>
          {dirty ? (
            <button type="button" disabled={saving} onClick={() => defaults && setDraft(draftOf(defaults))}>
              Discard changes
            </button>
          ) : null}
        </FormFooter>
      </form>
    </section>
  );
}

interface DraftEscalation {
  on: boolean;
  minutes: string;
  notify_super_admins: boolean;
  email_admins: boolean;
}

const draftEscalations = (items: EscalationRule[]) =>
  Object.fromEntries(
    ESCALATABLE_NOTIFICATION_TYPES.map((type) => {
      const rule = items.find((item) => item.type === type);
      return [type, { on: !!rule, minutes: String(rule?.after_minutes ?? 30), notify_super_admins: rule?.notify_super_admins ?? true, email_admins: rule?.email_admins ?? false }];
    }),
  ) as Record<EscalatableNotificationType, DraftEscalation>;

/** Who else hears of a workspace alert that no admin claimed or read in time. */
function Escalations({ emailOn }: { emailOn: boolean }) {
  const [saved, setSaved] = useState<EscalationRule[] | null>(null);
  const [draft, setDraft] = useState(() => draftEscalations([]));
  const { error, status, saving, save, refuse, setError, clearStatus } = useFormSave();

  const show = (items: EscalationRule[]) => {
    setSaved(items);
    setDraft(draftEscalations(items));
  };
  useEffect(() => {
    platform.workspace
      .escalations()
      .then((r) => show(r.items))
      .catch((err) => setError(errorMessage(err)));
  }, []);

  const dirty = saved !== null && JSON.stringify(draft) !== JSON.stringify(draftEscalations(saved));
  const change = (type: EscalatableNotificationType, patch: Partial<DraftEscalation>) => {
    clearStatus();
    setDraft((d) => ({ ...d, [type]: { ...d[type], ...patch } }));
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const items: EscalationRule[] = [];
    for (const type of ESCALATABLE_NOTIFICATION_TYPES) {
      const rule = draft[type];
      if (!rule.on) continue;
      const minutes = Number(rule.minutes);
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 10_080) {
        refuse(`${typeLabel(type)}: choose a whole number of minutes from 1 to 10080 (a week).`);
        return;
      }
      if (!rule.notify_super_admins && !rule.email_admins) {
        refuse(`${typeLabel(type)}: choose whom to tell — the super admins, the admins by email, or both.`);
        return;
      }
      items.push({ type, after_minutes: minutes, notify_super_admins: rule.notify_super_admins, email_admins: rule.email_admins });
    }
    await save(
      () => platform.workspace.setEscalations(items),
      (next) => {
        show(next.items);
        return items.length === 0 ? 'No alert escalates now.' : 'Escalations saved.';
      },
    );
  };

  return (
    <section aria-labelledby="escalations-title" className="admin-section">
      <h2 id="escalations-title">Escalations</h2>
      <p className="subtle">
        When every admin gets an alert and none claims or reads it in time, tell more people, once. The escalation shows in the activity and in the alert&apos;s
        detail.
      </p>
      {/* noValidate: the form's own message names the field and the range, the browser's bubble would not. */}
      <form onSubmit={(e) => void submit(e)} aria-label="Escalations" noValidate>
        {ESCALATABLE_NOTIFICATION_TYPES.map((type) => {
          const rule = draft[type];
          const id = `escalation-${type}`;
          return (
            <fieldset key={type} className="escalation" data-testid="escalation">
              <legend>{typeLabel(type)}</legend>
              <div className="row">
                <label className="check">
                  <input type="checkbox" checked={rule.on} disabled={saving} onChange={(e) => change(type, { on: e.target.checked })} />
                  Escalate if unclaimed and unread after
                </label>
                <label className="field-inline">
                  <input
                    id={`${id}-minutes`}
                    type="number"
                    inputMode="numeric"
                    min={1}
                    max={10_080}
                    value={rule.minutes}
                    disabled={!rule.on || saving}
                    aria-label={`${typeLabel(type)}: minutes before it escalates`}
                    onChange={(e) => change(type, { minutes: e.target.value })}
                  />
                  minutes
                </label>
              </div>
              <div className="row">
                <label className="check">
                  <input
                    type="checkbox"
                    checked={rule.notify_super_admins}
                    disabled={!rule.on || saving}
                    onChange={(e) => change(type, { notify_super_admins: e.target.checked })}
                  />
                  Notify the super admins
                </label>
                <label className="check">
                  <input type="checkbox" checked={rule.email_admins} disabled={!rule.on || saving} onChange={(e) => change(type, { email_admins: e.target.checked })} />
                  Email the admins{emailOn ? '' : ' (this server sends no email)'}
                </label>
              </div>
            </fieldset>
          );
        })}
        <FormFooter error={error} status={status}>
          <button type="submit" className="primary" disabled={saving || !dirty}>
            Save escalations
          </button>
        </FormFooter>
      </form>
    </section>
  );
}

/** The workspace's own administration: members, notification defaults, escalations, and how long activity is kept (workspace admins). */
export function WorkspaceWindow() {
  const me = useSessionStore((s) => s.session?.me);
  const workspace = me?.current_workspace;
  if (!me || !workspace || workspace.role !== 'admin') {
    return (
      <main className="window" aria-labelledby="workspace-forbidden">
        <div className="empty" data-testid="forbidden">
          <h1 id="workspace-forbidden" className="empty-title">
            Workspace settings are for its admins
          </h1>
          <p>
            {me?.is_super_admin
              ? 'As a super admin you belong to no workspace; the admin activity shows every workspace.'
              : 'Ask an admin of your workspace to change members or retention.'}
          </p>
        </div>
      </main>
    );
  }
  return (
    <main className="window workspace-window" aria-labelledby="workspace-title" key={workspace.id}>
      <header className="window-header">
        <h1 id="workspace-title">
          Workspace <span className="subtle">· {workspace.name}</span>
        </h1>
      </header>
      <div className="sections">
        <Members meId={me.id} />
        <NotificationDefaults emailOn={me.server?.email !== false} />
        <Escalations emailOn={me.server?.email !== false} />
        <Retention />
      </div>
    </main>
  );
}
