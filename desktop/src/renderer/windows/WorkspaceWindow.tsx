import { useEffect, useState, type FormEvent } from 'react';
import type { ActivityRetention, Role, WorkspaceMember } from '../../shared/types.ts';
import { ErrorLine } from '../components/ErrorLine.tsx';
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
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState('');
  const [saving, setSaving] = useState(false);

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
    setError(null);
    setSaved('');
    const value = Number(days);
    if (!Number.isInteger(value) || value < 1 || (max !== undefined && value > max)) {
      setError(max !== undefined ? `Choose a whole number of days from 1 to ${max}.` : 'Choose a whole number of days, 1 or more.');
      return;
    }
    setSaving(true);
    try {
      const next = await platform.workspace.setRetention(value);
      setRetention(next);
      setSaved(`Activity is now kept ${next.retention_days} days.`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
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
        <ErrorLine error={error} />
        <p role="status" className="subtle">
          {saved}
        </p>
        <div className="actions">
          <button type="submit" className="primary" disabled={saving || !retention}>
            Save retention
          </button>
        </div>
      </form>
    </section>
  );
}

/** The workspace's own administration: members and how long activity is kept (workspace admins). */
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
        <Retention />
      </div>
    </main>
  );
}
