import { useEffect, useState } from 'react';
import { DEFAULT_TYPE_PREFERENCE } from '../../shared/alert-rules.ts';
import type { LocalSettings } from '../../shared/settings.ts';
import { SOUND_LABELS, SOUND_NAMES, soundFor, type SoundChoice, type SoundName } from '../../shared/sounds.ts';
import { deviceTimeZone, quietHoursOnThisDevice } from '../../shared/snooze.ts';
import {
  DELIVERY_FAILURE_LABELS,
  NOTIFICATION_TYPES,
  receivableTypes,
  type DeliveryReport,
  type DeliveryTest,
  type MuteItem,
  type Preferences,
  type TypePreference,
} from '../../shared/types.ts';
import { ErrorLine } from '../components/ErrorLine.tsx';
import { RelativeTime } from '../components/RelativeTime.tsx';
import { CHANNEL_LABELS, typeLabel } from '../../shared/format.ts';
import { errorMessage, platform } from '../platform/index.ts';
import { useSessionStore } from '../stores/session.ts';
import { useSettingsStore } from '../stores/settings.ts';

function Managed() {
  return (
    <span className="managed" title="Set by your IT department">
      <svg className="lock" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
        <path d="M4 7V5a4 4 0 1 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 1 0-4 0v2z" fill="currentColor" />
      </svg>
      Managed by your IT department
    </span>
  );
}

function ServerSection({ settings }: { settings: LocalSettings }) {
  const deployment = useSettingsStore((s) => s.deployment);
  const save = useSettingsStore((s) => s.saveSettings);
  // The server's APP_BASE_URL makes its links absolute: they open there whatever is set here.
  const serverBase = useSessionStore((s) => s.session?.me?.server?.app_base_url ?? null);
  const [serverUrl, setServerUrl] = useState(settings.serverUrl);
  const [webAppBaseUrl, setWebAppBaseUrl] = useState(serverBase ?? settings.webAppBaseUrl);
  useEffect(() => {
    if (serverBase) setWebAppBaseUrl(serverBase);
  }, [serverBase]);
  const serverLocked = platform.platform === 'web' || deployment?.serverUrlLocked === true;
  const webLocked = !!serverBase || (!!deployment?.webAppBaseUrl && deployment.serverUrlLocked);
  return (
    <section aria-labelledby="server-title">
      <h2 id="server-title">Server</h2>
      <label className="field">
        Server URL {serverLocked && platform.platform === 'electron' ? <Managed /> : null}
        <input type="url" value={serverUrl} disabled={serverLocked} onChange={(e) => setServerUrl(e.target.value)} />
      </label>
      <label className="field">
        Web app address (notification links open here) {serverBase ? <span className="managed">Set by the server</span> : webLocked ? <Managed /> : null}
        <input type="url" value={webAppBaseUrl} disabled={webLocked} onChange={(e) => setWebAppBaseUrl(e.target.value)} />
      </label>
      {!serverLocked && serverUrl !== settings.serverUrl ? <p className="subtle">Changing the server signs you out.</p> : null}
      {serverLocked && webLocked ? null : (
        <button type="button" onClick={() => void save({ serverUrl, webAppBaseUrl })} disabled={serverUrl === settings.serverUrl && webAppBaseUrl === settings.webAppBaseUrl}>
          Save
        </button>
      )}
    </section>
  );
}

function AccountSection() {
  const me = useSessionStore((s) => s.session?.me);
  const logout = useSessionStore((s) => s.logout);
  const switchWorkspace = useSessionStore((s) => s.switchWorkspace);
  if (!me) {
    return (
      <section aria-labelledby="account-title">
        <h2 id="account-title">Account</h2>
        <p>Not logged in.</p>
        <button type="button" className="primary" onClick={() => void platform.windows.open('login')}>
          Log in…
        </button>
      </section>
    );
  }
  return (
    <section aria-labelledby="account-title">
      <h2 id="account-title">Account</h2>
      <p>
        <strong>{me.name}</strong> <span className="subtle">{me.email}</span>
        {me.is_super_admin ? <span className="tag">Super admin</span> : null}
      </p>
      {me.memberships.length > 0 ? (
        <label className="field">
          Current workspace
          <select value={me.current_workspace?.id ?? ''} onChange={(e) => void switchWorkspace(e.target.value)}>
            {me.memberships.map((m) => (
              <option key={m.workspace_id} value={m.workspace_id}>
                {m.workspace_name} ({m.role})
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <button type="button" onClick={() => void logout().then(() => platform.windows.open('login'))}>
        Log out
      </button>
    </section>
  );
}

/** The server's per-type channels, as Settings columns. */
const CHANNELS = [
  { key: 'in_app', label: CHANNEL_LABELS.in_app, hint: 'Off: this type never reaches your list, badge or alerts' },
  { key: 'desktop', label: CHANNEL_LABELS.desktop, hint: 'A native notification' },
  { key: 'sound', label: CHANNEL_LABELS.sound, hint: 'Play the sound chosen below' },
  { key: 'email', label: CHANNEL_LABELS.email, hint: 'Included in the email digest' },
] as const;

function PreferencesSection() {
  const { prefs, prefsError } = useSettingsStore();
  const updatePrefs = useSettingsStore((s) => s.updatePrefs);
  const me = useSessionStore((s) => s.session?.me);
  if (!prefs) {
    return (
      <section aria-labelledby="prefs-title">
        <h2 id="prefs-title">Notifications</h2>
        <p className="subtle">{prefsError ?? 'Loading…'}</p>
      </section>
    );
  }
  // Each change applies to the preferences as they are by then: quick clicks all count.
  const setType = (type: string, patch: Partial<TypePreference>) =>
    void updatePrefs((p) => ({ ...p, types: { ...p.types, [type]: { ...(p.types[type] ?? DEFAULT_TYPE_PREFERENCE), ...patch } } }));
  const setQuiet = (patch: Partial<Preferences['quiet_hours']>) => void updatePrefs((p) => ({ ...p, quiet_hours: { ...p.quiet_hours, ...patch } }));
  // Only what can reach this user (critical types: super admins; jobs and playbooks: admins),
  // plus types an integration added.
  const known = NOTIFICATION_TYPES as readonly string[];
  const types = [...new Set([...receivableTypes(me), ...Object.keys(prefs.types).filter((t) => !known.includes(t))])];
  // No digest is mailed without SMTP on the server: no Email column then.
  const channels = CHANNELS.filter((c) => c.key !== 'email' || me?.server?.email !== false);
  const onThisDevice = quietHoursOnThisDevice(prefs.quiet_hours, new Date());
  return (
    <section aria-labelledby="prefs-title">
      <h2 id="prefs-title">Notifications</h2>
      <SaveState error={prefsError} status />
      <label className="check">
        <input type="checkbox" checked={prefs.muted} onChange={(e) => void updatePrefs((p) => ({ ...p, muted: e.target.checked }))} />
        Mute all alerts, sounds and email (notifications still arrive in the list)
      </label>
      <table className="prefs">
        <thead>
          <tr>
            <th>Type</th>
            {channels.map((channel) => (
              <th key={channel.key} title={channel.hint}>
                {channel.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {types.map((t) => {
            const p = prefs.types[t] ?? DEFAULT_TYPE_PREFERENCE;
            const lock = prefs.locks?.[t];
            const lockText = lock ? `Kept on by ${lock.locked_by?.name ?? 'an admin'} (${lock.workspace_name})` : '';
            return (
              <tr key={t} data-locked={lock ? 'true' : undefined}>
                <td>
                  {typeLabel(t)}
                  {lock ? (
                    <span className="locked-note" id={`lock-${t}`} data-testid="type-lock">
                      <svg className="lock" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
                        <path d="M4 7V5a4 4 0 1 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 1 0-4 0v2z" fill="currentColor" />
                      </svg>{' '}
                      {lockText}
                    </span>
                  ) : null}
                </td>
                {channels.map(({ key }) => {
                  // A locked type stays on in-app and on the desktop; sound and email stay the user's.
                  const held = !!lock && (key === 'in_app' || key === 'desktop');
                  return (
                    <td key={key}>
                      <input
                        type="checkbox"
                        aria-label={`${typeLabel(t)}: ${key}`}
                        aria-describedby={held ? `lock-${t}` : undefined}
                        title={held ? lockText : undefined}
                        checked={held || p[key]}
                        disabled={held}
                        onChange={(e) => setType(t, { [key]: e.target.checked })}
                      />
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      <fieldset>
        <legend>Quiet hours</legend>
        <label className="check">
          <input type="checkbox" checked={prefs.quiet_hours.enabled} onChange={(e) => setQuiet({ enabled: e.target.checked })} />
          Hold alerts and sounds during quiet hours, then show one summary
        </label>
        <div className="row">
          <label className="field-inline">
            From
            <input type="time" value={prefs.quiet_hours.start} onChange={(e) => setQuiet({ start: e.target.value })} />
          </label>
          <label className="field-inline">
            To
            <input type="time" value={prefs.quiet_hours.end} onChange={(e) => setQuiet({ end: e.target.value })} />
          </label>
        </div>
        <TimeZonePicker value={prefs.quiet_hours.time_zone} onChoose={(time_zone) => setQuiet({ time_zone })} />
        {onThisDevice ? (
          <p className="subtle" data-testid="quiet-hours-here">
            These times are {prefs.quiet_hours.time_zone} time: {onThisDevice} on this device ({deviceTimeZone()}).
          </p>
        ) : null}
      </fieldset>
      <MutesSection />
    </section>
  );
}

/**
 * Whether the last change is saved: a refusal says why and offers Retry (what is shown is what
 * the server has); otherwise a quiet "Saving…" / "Saved".
 */
function SaveState({ error, status = false }: { error: string | null; status?: boolean }) {
  const retry = useSettingsStore((s) => s.retry);
  const saving = useSettingsStore((s) => s.saving);
  if (error) {
    return (
      <div className="error" role="alert" data-testid="save-error">
        <span>Not saved: {error}</span>{' '}
        {retry ? (
          <button type="button" onClick={() => void retry()}>
            Retry
          </button>
        ) : null}
      </div>
    );
  }
  if (!status) return null;
  return (
    <p className="subtle save-state" role="status" data-testid="save-state">
      {saving ? 'Saving…' : ''}
    </p>
  );
}

const ZONES: readonly string[] = (() => {
  const intl = Intl as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
})();

/**
 * A searchable list of IANA zones. Typing only filters; a zone is saved once one from the list
 * is chosen, so a half-typed name is never sent. Until then it suggests this device's zone.
 */
function TimeZonePicker({ value, onChoose }: { value: string; onChoose: (zone: string) => void }) {
  const device = deviceTimeZone();
  const [draft, setDraft] = useState(value === 'UTC' && device !== 'UTC' ? device : value);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (value !== 'UTC') setDraft(value);
  }, [value]);
  const choose = (zone: string) => {
    setDraft(zone);
    setSaved(false);
    if (!ZONES.includes(zone)) return;
    onChoose(zone);
    setSaved(true);
  };
  const unsaved = draft !== value;
  return (
    <div className="row">
      <label className="field-inline">
        Time zone
        <input
          type="text"
          list="time-zones"
          value={draft}
          autoComplete="off"
          spellCheck={false}
          aria-describedby="time-zone-state"
          onChange={(e) => choose(e.target.value)}
        />
        <datalist id="time-zones">
          {ZONES.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </label>
      {unsaved && ZONES.includes(draft) ? (
        <button type="button" onClick={() => choose(draft)}>
          Use {draft}
        </button>
      ) : null}
      <span id="time-zone-state" role="status" className="subtle" data-testid="time-zone-state">
        {saved && !unsaved ? 'Saved' : unsaved && !ZONES.includes(draft) ? 'Choose a zone from the list' : unsaved ? `Not saved yet (now ${value})` : ''}
      </span>
    </div>
  );
}

/** What was muted from "Why was I notified", with Unmute. */
function MutesSection() {
  const [mutes, setMutes] = useState<MuteItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    platform.mutes.list().then((r) => setMutes(r.items), (err: unknown) => setError(errorMessage(err)));
  }, []);
  const unmute = async (mute: MuteItem) => {
    try {
      await platform.mutes.remove(mute.id);
      setMutes((list) => (list ?? []).filter((m) => m.id !== mute.id));
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <fieldset data-testid="mutes">
      <legend>Muted</legend>
      <ErrorLine error={error} />
      {mutes && mutes.length === 0 ? <p className="subtle">Nothing muted. Use “Why?” on a notification to mute its type or what it is about.</p> : null}
      <ul className="mutes">
        {(mutes ?? []).map((mute) => (
          <li key={mute.id}>
            <span>{mute.label}</span>{' '}
            <button type="button" onClick={() => void unmute(mute)} aria-label={`Unmute: ${mute.label}`}>
              Unmute
            </button>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

const CLIENT_NAMES: Record<string, string> = { desktop: 'Desktop app', web: 'Web app' };
const TEST_WAIT_MS = 15_000;

function ReportLine({ report }: { report: DeliveryReport }) {
  const client = CLIENT_NAMES[report.client] ?? report.client;
  const why = report.reason ? DELIVERY_FAILURE_LABELS[report.reason] : null;
  return (
    <li data-testid="delivery-report">
      <strong>{client}:</strong>{' '}
      {report.shown ? <span className="delivery-shown">shown</span> : <span className="delivery-failed">not shown</span>} after {report.round_trip_ms} ms
      {why ? <span className="subtle"> — {why}</span> : null}
    </li>
  );
}

/**
 * "Send me a test alert": a real notification through the normal path; each open app reports
 * whether its toast appeared, and this lists their answers as they arrive (and why not).
 */
function DeliveryTestSection() {
  const [test, setTest] = useState<DeliveryTest | null>(null);
  const [sending, setSending] = useState(false);
  const [waiting, setWaiting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = test?.notification.id;
  useEffect(() => {
    if (!id) return;
    let stopped = false;
    const until = Date.now() + TEST_WAIT_MS;
    const poll = async () => {
      while (!stopped && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        if (stopped) return;
        try {
          const latest = await platform.notifications.deliveryReports(id);
          if (!stopped) setTest(latest);
        } catch (err) {
          if (!stopped) setError(errorMessage(err));
          return;
        }
      }
      if (!stopped) setWaiting(false);
    };
    void poll();
    return () => {
      stopped = true;
    };
  }, [id]);
  const send = async () => {
    setSending(true);
    setError(null);
    try {
      setTest(await platform.notifications.sendTest());
      setWaiting(true);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSending(false);
    }
  };
  const reports = test?.reports ?? [];
  return (
    <section aria-labelledby="delivery-title">
      <h2 id="delivery-title">Test alerts</h2>
      <p className="subtle">Sends you a real notification; each open app says whether its alert popped up, and why not.</p>
      <button type="button" onClick={() => void send()} disabled={sending}>
        {sending ? 'Sending…' : 'Send me a test alert'}
      </button>
      <ErrorLine error={error} />
      <div role="status" data-testid="delivery-test">
        {test ? (
          <>
            <p>
              Test alert sent {test.notification.created_at ? <RelativeTime iso={test.notification.created_at} /> : null}.{' '}
              {waiting ? 'Waiting for your apps to report…' : reports.length === 0 ? `No app reported back within ${TEST_WAIT_MS / 1000} s: is one open and signed in?` : ''}
            </p>
            <ul className="delivery-results">
              {reports.map((report) => (
                <ReportLine key={report.client} report={report} />
              ))}
            </ul>
          </>
        ) : null}
      </div>
    </section>
  );
}

function SoundsSection({ settings }: { settings: LocalSettings }) {
  const save = useSettingsStore((s) => s.saveSettings);
  const me = useSessionStore((s) => s.session?.me);
  const test = (sound: SoundName) => void platform.settings.testSound(sound, settings.volume);
  return (
    <section aria-labelledby="sounds-title">
      <h2 id="sounds-title">Sounds</h2>
      <label className="check">
        <input type="checkbox" checked={settings.soundsEnabled} onChange={(e) => void save({ soundsEnabled: e.target.checked })} />
        Play sounds
      </label>
      <label className="field-inline">
        Volume
        <input
          type="range"
          min={0}
          max={100}
          value={Math.round(settings.volume * 100)}
          onChange={(e) => void save({ volume: Number(e.target.value) / 100 })}
          aria-label="Volume"
        />
        <span className="subtle">{Math.round(settings.volume * 100)}%</span>
      </label>
      <table className="prefs">
        <tbody>
          {receivableTypes(me).map((t) => (
            <tr key={t}>
              <td>{typeLabel(t)}</td>
              <td>
                <select
                  aria-label={`Sound for ${typeLabel(t)}`}
                  value={settings.soundByType[t] ?? 'default'}
                  onChange={(e) => void save({ soundByType: { ...settings.soundByType, [t]: e.target.value as SoundChoice } })}
                >
                  <option value="default">Default ({SOUND_LABELS[soundFor(t, {}) ?? 'ping']})</option>
                  {SOUND_NAMES.map((s) => (
                    <option key={s} value={s}>
                      {SOUND_LABELS[s]}
                    </option>
                  ))}
                  <option value="none">No sound</option>
                </select>
              </td>
              <td>
                <button type="button" className="link" onClick={() => test(soundFor(t, settings.soundByType) ?? 'ping')}>
                  Test sound
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function StartupSection({ settings }: { settings: LocalSettings }) {
  const deployment = useSettingsStore((s) => s.deployment);
  const save = useSettingsStore((s) => s.saveSettings);
  if (platform.platform === 'web') return null;
  const locked = deployment?.startAtLoginLocked === true;
  return (
    <section aria-labelledby="startup-title">
      <h2 id="startup-title">Startup</h2>
      <label className="check">
        <input type="checkbox" checked={settings.startAtLogin} disabled={locked} onChange={(e) => void save({ startAtLogin: e.target.checked })} />
        Start at login {locked ? <Managed /> : null}
      </label>
    </section>
  );
}

export function SettingsWindow() {
  const signedIn = useSessionStore((s) => !!s.session?.me);
  const { settings, deployment, error } = useSettingsStore();
  const load = useSettingsStore((s) => s.load);
  useEffect(() => {
    void load(signedIn);
  }, [load, signedIn]);

  return (
    <main className="window settings" aria-labelledby="settings-title">
      <header className="window-header">
        <h1 id="settings-title">Settings</h1>
      </header>
      {deployment && deployment.problems.length > 0 ? (
        <div className="banner banner-offline" role="alert" data-testid="deployment-problems">
          <strong>Configuration problems reported by your IT setup:</strong>
          <ul>
            {deployment.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <SaveState error={error} />
      {settings ? (
        <div className="sections">
          <AccountSection />
          {signedIn ? <PreferencesSection /> : null}
          {signedIn ? <DeliveryTestSection /> : null}
          <SoundsSection settings={settings} />
          <StartupSection settings={settings} />
          <ServerSection settings={settings} />
        </div>
      ) : null}
    </main>
  );
}
