import { ApiError } from './api-client.ts';
import { decideAlert, DEFAULT_PREFERENCES } from './alert-rules.ts';
import { AlertScheduler, type Alert } from './alert-scheduler.ts';
import type { AppState } from './ipc.ts';
import type { AppSession, Logger, SessionListener } from './session.ts';
import type { LocalSettings } from './settings.ts';
import { SeenSet } from './seen-set.ts';
import type { SoundName } from './sounds.ts';
import { StreamClient, realTimers, type FetchLike, type StreamState, type Timers } from './stream-client.ts';
import type { ConnectionState, Preferences, StreamEvent, UnreadCount } from './types.ts';
import { isFullNotification } from './types.ts';
import { bumpUnread, EMPTY_UNREAD, toUnreadCount } from './unread.ts';
import { newDeviceId, PresenceReporter } from './presence-reporter.ts';
import { isHandled } from './toast-book.ts';
import { isDeliveryTest } from './toast-actions.ts';
import type { AlertDevices, ClientKind, DeliveryFailureReason, NotificationItem } from './types.ts';

export interface LiveHooks {
  fetch: FetchLike;
  timers?: Timers;
  random?: () => number;
  now?: () => Date;
  showAlert(alert: Alert, workspaceName: (id: string) => string): void;
  playSound(sound: SoundName, volume: number): void;
  onState(state: AppState): void;
  onStreamEvent(event: StreamEvent): void;
  /** A notification was read, archived or snoozed somewhere: close its toasts here. */
  clearAlert?(id: string): void;
  /** Which client this is, for presence and delivery reports. */
  client?: ClientKind;
  /** This device's id (one per tray app run or browser tab); random when not given. */
  deviceId?: string;
  log: Logger;
}

/** The stream's state as the tray and windows show it ('unauthorized' signs out first). */
const CONNECTION: Record<StreamState, ConnectionState> = {
  open: 'online',
  connecting: 'connecting',
  down: 'offline',
  idle: 'signed-out',
  unauthorized: 'signed-out',
};

/**
 * What follows the signed-in account live: one stream connection, the unread count, the set of
 * notifications already seen (so nothing alerts twice), and the alerts and sounds they raise
 * under the user's preferences.
 */
export class LiveUpdates implements SessionListener {
  private readonly stream: StreamClient;
  private readonly alerts: AlertScheduler;
  private readonly timers: Timers;
  private connection: ConnectionState = 'signed-out';
  private unread: UnreadCount = EMPTY_UNREAD;
  private prefs: Preferences = DEFAULT_PREFERENCES;
  private readonly seen = new SeenSet();
  private countTimer: unknown = null;
  /** Where new notifications alert, as the server last said (null: everywhere). */
  private alertDevices: AlertDevices = { devices: null };
  private lastEventAt: string | null = null;
  readonly deviceId: string;
  private readonly presence: PresenceReporter;
  /** Self-test notifications whose toast outcome is still to be reported. */
  private readonly deliveryTests = new Map<string, NotificationItem>();

  constructor(
    private readonly session: AppSession,
    private readonly hooks: LiveHooks,
  ) {
    const timers = hooks.timers ?? realTimers;
    this.timers = timers;
    this.deviceId = hooks.deviceId ?? newDeviceId(hooks.random);
    this.presence = new PresenceReporter(
      (active) => this.session.signedInApi().reportPresence({ device_id: this.deviceId, client: hooks.client ?? 'tray', active }),
      () => (hooks.now ? hooks.now().getTime() : Date.now()),
    );
    this.alerts = new AlertScheduler({ timers, now: hooks.now, onAlert: (a) => this.emitAlert(a) });
    this.alerts.setSoundSettings(session.getSettings());
    this.stream = new StreamClient({
      fetch: hooks.fetch,
      baseUrl: () => session.getSettings().serverUrl,
      getToken: () => session.currentToken,
      timers,
      random: hooks.random,
      onEvent: (e) => this.handleEvent(e),
      onState: (s) => {
        if (s === 'unauthorized') {
          session.expired();
          return;
        }
        this.setConnection(CONNECTION[s]);
        // Started offline: load the account as soon as the server answers.
        if (s === 'open' && session.currentToken && !session.currentUser) void this.restoreAccount();
      },
      poll: () => this.poll(),
    });
  }

  get state(): AppState {
    return { connection: this.connection, unread: this.unread, lastEventAt: this.lastEventAt, alertsHere: this.alertsHere };
  }

  get preferences(): Preferences {
    return this.prefs;
  }

  async signedIn(): Promise<void> {
    this.setConnection('connecting');
    await this.loadAll().catch((err) => {
      this.hooks.log.warn('initial load failed', { error: String(err) });
    });
    this.stream.start();
  }

  signedOut(): void {
    this.presence.reset();
    this.alertDevices = { devices: null };
    this.deliveryTests.clear();
    this.stream.stop();
    this.stream.resetResumePoint();
    this.alerts.clear();
    this.seen.clear();
    this.unread = EMPTY_UNREAD;
    this.setConnection('signed-out');
  }

  settingsChanged(settings: LocalSettings): void {
    this.alerts.setSoundSettings(settings);
  }

  private async restoreAccount(): Promise<void> {
    try {
      await this.session.loadAccount();
      await this.loadAll();
    } catch (err) {
      this.hooks.log.warn('could not load the account yet', { error: String(err) });
    }
  }

  private loadAll(): Promise<unknown> {
    return Promise.all([this.refreshPreferences(), this.refreshUnread(), this.seedSeen()]);
  }

  /** Called by the platform when the OS resumes from sleep or the network comes back. */
  resume(): void {
    this.stream.reconnectNow();
  }

  stop(): void {
    this.stream.stop();
    this.alerts.clear();
    this.cancelCountRefresh();
  }

  private setConnection(c: ConnectionState): void {
    if (c === this.connection) return;
    this.connection = c;
    this.hooks.onState(this.state);
  }

  private setUnread(u: UnreadCount): void {
    this.unread = u;
    this.hooks.onState(this.state);
  }

  // ---- stream ---------------------------------------------------------------------------

  handleEvent(e: StreamEvent): void {
    // Heartbeats are comments and never get here: this is the last real event, for "Live · 10:42".
    this.lastEventAt = (this.hooks.now?.() ?? new Date()).toISOString();
    switch (e.type) {
      case 'notification.created': {
        const n = e.data;
        // A snooze that wakes comes back under its old id with a new created_at: news again.
        if (this.seen.has(n)) break;
        this.seen.add(n);
        if (!n.read_at && !n.archived_at) this.setUnread(bumpUnread(this.unread, n.workspace_id, 1));
        this.pushAlert(n);
        break;
      }
      case 'notification.updated':
        // A repeat collapsed into an unread notification ("3 new replies from …"): news, so it
        // alerts like a new one (same preferences, bursts, quiet hours), without a new unread.
        if (isFullNotification(e.data) && !e.data.read_at && !e.data.archived_at) this.pushAlert(e.data);
        // Read, archived or snoozed anywhere: its toasts (and a summary of only handled ones) close here.
        if (isHandled(e.data)) {
          this.alerts.handled(e.data.id);
          this.hooks.clearAlert?.(e.data.id);
        }
        // Read/archived elsewhere (another device, the web app): the server's count follows as an
        // `unread_count` event; if it does not come, fetch the count once things settle.
        this.scheduleCountRefresh();
        break;
      case 'unread_count':
        {
          const counts = toUnreadCount(e.data);
          if (!counts) break;
          this.cancelCountRefresh();
          this.setUnread(counts);
        }
        break;
      case 'alert_devices':
        this.alertDevices = { devices: Array.isArray(e.data.devices) ? e.data.devices : null };
        this.hooks.onState(this.state);
        break;
      case 'resync': {
        // A new stream (no id: the client's own resync) is followed by the server's count;
        // only what arrived before it opened is missing.
        const refetch = e.id === null ? this.alertUnseen() : this.poll();
        void refetch.catch((err) => this.hooks.log.warn('refetching after a resync failed', { error: String(err) }));
        break;
      }
      default:
        break;
    }
    this.hooks.onStreamEvent(e);
  }

  /** While the stream is down (every 60 s) and after a resync: refresh counts, alert what is new. */
  async poll(): Promise<void> {
    await this.refreshUnread();
    await this.alertUnseen();
  }

  /** Alerts the unread notifications this app has not alerted or loaded yet. */
  private async alertUnseen(): Promise<void> {
    const page = await this.session.api.listNotifications({ only_unread: true, limit: 50 });
    const fresh = page.items.filter((n) => !this.seen.has(n)).reverse();
    for (const n of fresh) {
      this.seen.add(n);
      this.pushAlert(n);
    }
  }

  private scheduleCountRefresh(): void {
    this.cancelCountRefresh();
    this.countTimer = this.timers.setTimeout(() => {
      this.countTimer = null;
      void this.refreshUnread().catch(() => undefined);
    }, 1_000);
  }

  private cancelCountRefresh(): void {
    if (this.countTimer === null) return;
    this.timers.clearTimeout(this.countTimer);
    this.countTimer = null;
  }

  private async seedSeen(): Promise<void> {
    const page = await this.session.api.listNotifications({ limit: 100 });
    for (const n of page.items) this.seen.add(n);
  }

  /** After a change of read state here: the count follows from the server. */
  async refreshUnread(): Promise<void> {
    this.setUnread(toUnreadCount(await this.session.api.unreadCount()) ?? EMPTY_UNREAD);
  }

  // ---- alerts and preferences --------------------------------------------------------------

  /** The server's rule (one place): alert here unless the user is active on another device. */
  get alertsHere(): boolean {
    return this.alertDevices.devices === null || this.alertDevices.devices.includes(this.deviceId);
  }

  /** A new notification: toast and sound here, or only the badge and list when the user is elsewhere. */
  private pushAlert(n: NotificationItem): void {
    if (isDeliveryTest(n)) this.noteDeliveryTest(n);
    if (!this.alertsHere) return;
    this.alerts.push(n);
  }

  /** The self-test: says now why there will be no toast, or waits for the platform's show/failed. */
  private noteDeliveryTest(n: NotificationItem): void {
    const d = decideAlert(n, this.prefs, this.hooks.now?.() ?? new Date());
    const reason: DeliveryFailureReason | null = !this.alertsHere
      ? 'silent_here'
      : this.prefs.muted
        ? 'muted_all'
        : !d.toast
          ? 'desktop_off'
          : d.held
            ? 'quiet_hours'
            : null;
    if (reason) {
      this.reportDelivery(n, false, reason);
      return;
    }
    this.deliveryTests.set(n.id, n);
  }

  /** The platform's outcome for a toast it was asked to show (Electron's show/failed, the web's onshow/permission). */
  toastOutcome(id: string, shown: boolean, reason?: DeliveryFailureReason): void {
    const n = this.deliveryTests.get(id);
    if (!n) return;
    this.deliveryTests.delete(id);
    this.reportDelivery(n, shown, reason);
  }

  /** The server times the round trip itself, from the notification's creation to the report. */
  private reportDelivery(n: NotificationItem, shown: boolean, reason?: DeliveryFailureReason): void {
    void this.session
      .signedInApi()
      .reportDelivery(n.id, {
        shown,
        ...(reason ? { reason } : {}),
        client: this.hooks.client ?? 'tray',
      })
      .catch((err) => this.hooks.log.warn('delivery report failed', { id: n.id, error: String(err) }));
  }

  /** Input on this device (a key, the pointer, the system's idle time near zero). */
  noteActivity(): void {
    if (this.session.currentToken) this.presence.input();
  }

  /** This device went idle (no input for a minute, hidden, locked). */
  noteIdle(): void {
    if (this.session.currentToken) this.presence.idle();
  }

  private emitAlert(a: Alert): void {
    this.hooks.showAlert(a, (id) => this.session.workspaceName(id));
    const settings = this.session.getSettings();
    if (a.sound && settings.soundsEnabled) this.hooks.playSound(a.sound, settings.volume);
  }

  testSound(sound: SoundName, volume?: number): void {
    this.hooks.playSound(sound, volume ?? this.session.getSettings().volume);
  }

  private async refreshPreferences(): Promise<void> {
    try {
      this.prefs = await this.session.api.getPreferences();
    } catch (err) {
      // A server without the preferences API answers 404: alert with the defaults.
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
      this.prefs = DEFAULT_PREFERENCES;
    }
    this.alerts.setPreferences(this.prefs);
  }

  /** For the Settings window: says so when the server has no preferences API instead of showing defaults as if saved. */
  async getPreferences(): Promise<Preferences> {
    const api = this.session.signedInApi();
    try {
      this.prefs = await api.getPreferences();
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        throw new ApiError(404, 'preferences_unavailable', 'This server does not offer notification preferences yet: every type alerts, with sound, and there are no quiet hours.');
      }
      throw err;
    }
    this.alerts.setPreferences(this.prefs);
    return this.prefs;
  }

  async setPreferences(p: Preferences): Promise<Preferences> {
    this.prefs = await this.session.signedInApi().putPreferences(p);
    this.alerts.setPreferences(this.prefs);
    return this.prefs;
  }
}
