import { ApiClient, ApiError, type ApiClientOptions } from './api-client.ts';
import { DEFAULT_PREFERENCES } from './alert-rules.ts';
import { AlertScheduler, type Alert } from './alert-scheduler.ts';
import type { AppState, LoginRequest, Session } from './ipc.ts';
import { isHttpUrl, sanitizeSettings, type LocalSettings } from './settings.ts';
import type { SoundName } from './sounds.ts';
import { StreamClient, realTimers, type FetchLike, type StreamState, type Timers } from './stream-client.ts';
import { resolveTarget } from './target-url.ts';
import type {
  ActivityItem,
  ActivityQuery,
  AdminActivityQuery,
  NotificationItem,
  ConnectionState,
  Me,
  Preferences,
  NotificationQuery,
  Page,
  StreamEvent,
  UnreadCount,
  MuteItem,
  MuteScope,
  NotificationChange,
  OpenResult,
} from './types.ts';
import { isFullNotification } from './types.ts';
import { bumpUnread, EMPTY_UNREAD, toUnreadCount } from './unread.ts';

export interface TokenStore {
  load(): string | null;
  save(token: string | null): void;
}

export interface SettingsStore {
  load(): LocalSettings;
  /** Persists and returns the effective settings (a managed deployment may override fields). */
  save(next: LocalSettings): LocalSettings;
}

export interface Logger {
  info(msg: string, meta?: Record<string, unknown>): void;
  warn(msg: string, meta?: Record<string, unknown>): void;
}

/** What differs between the Electron main process and a browser tab. */
export interface PlatformHooks {
  fetch: FetchLike;
  /** For axios' fetch adapter (the main process passes Electron's net.fetch: system proxy and certificates). */
  apiFetchEnv?: ApiClientOptions['fetchEnv'];
  timers?: Timers;
  random?: () => number;
  now?: () => Date;
  tokens: TokenStore;
  settings: SettingsStore;
  showAlert(alert: Alert, workspaceName: (id: string) => string): void;
  playSound(sound: SoundName, volume: number): void;
  openInBrowser(url: string): void;
  openActivity(query: string): void;
  onState(state: AppState): void;
  onSession(session: Session): void;
  onStreamEvent(event: StreamEvent): void;
  log: Logger;
}

function toConnection(s: StreamState): ConnectionState {
  switch (s) {
    case 'open':
      return 'online';
    case 'connecting':
      return 'connecting';
    case 'down':
      return 'offline';
    default:
      return 'signed-out';
  }
}

const SEEN_LIMIT = 2_000;

/**
 * The app's behaviour, shared by the Electron main process and the web build: the session,
 * one stream connection, the unread count, alerts and sounds, opening targets.
 * Platforms only supply the hooks (tray/native notifications vs. page title/Web Notifications).
 */
export class AppService {
  private token: string | null;
  private settings: LocalSettings;
  private me: Me | null = null;
  private api: ApiClient;
  private readonly stream: StreamClient;
  private readonly alerts: AlertScheduler;
  private connection: ConnectionState = 'signed-out';
  private unread: UnreadCount = EMPTY_UNREAD;
  private prefs: Preferences = DEFAULT_PREFERENCES;
  private readonly seen = new Set<string>();
  private readonly timers: Timers;
  private countTimer: unknown = null;

  constructor(private readonly hooks: PlatformHooks) {
    this.token = hooks.tokens.load();
    this.settings = hooks.settings.load();
    this.api = this.makeApi(this.settings.serverUrl);
    const timers = hooks.timers ?? realTimers;
    this.timers = timers;
    this.alerts = new AlertScheduler({
      timers,
      now: hooks.now,
      onAlert: (a) => this.emitAlert(a),
    });
    this.alerts.setSoundSettings(this.settings);
    this.stream = new StreamClient({
      fetch: hooks.fetch,
      baseUrl: () => this.settings.serverUrl,
      getToken: () => this.token,
      timers,
      random: hooks.random,
      onEvent: (e) => this.handleEvent(e),
      onState: (s) => {
        if (s === 'unauthorized') {
          this.signedOut('The session expired; please log in again.');
          return;
        }
        this.setConnection(toConnection(s));
        // Started offline: load the account as soon as the server answers.
        if (s === 'open' && this.token && !this.me) void this.restoreAccount();
      },
      poll: () => this.poll(),
    });
  }

  private makeApi(baseUrl: string): ApiClient {
    return new ApiClient({
      baseUrl,
      fetchEnv: this.hooks.apiFetchEnv,
      getToken: () => this.token,
      onUnauthorized: () => this.signedOut('The session expired; please log in again.'),
    });
  }

  // ---- session ------------------------------------------------------------------------

  get session(): Session {
    return { serverUrl: this.settings.serverUrl, me: this.me, restoring: this.token !== null && this.me === null };
  }

  get state(): AppState {
    return { connection: this.connection, unread: this.unread };
  }

  get currentUser(): Me | null {
    return this.me;
  }

  get preferences(): Preferences {
    return this.prefs;
  }

  /** Restores the stored session, if any, and connects. */
  async start(): Promise<Session> {
    if (!this.token) return this.session;
    try {
      this.me = await this.api.me();
    } catch (err) {
      if (err instanceof ApiError && err.isUnauthorized) return this.session;
      // Server unreachable: keep the token, retry through the stream's backoff.
      this.hooks.log.warn('could not restore the session now', { error: String(err) });
    }
    this.hooks.onSession(this.session);
    await this.connect();
    return this.session;
  }

  private async restoreAccount(): Promise<void> {
    try {
      this.me = await this.api.me();
      this.hooks.onSession(this.session);
      await Promise.all([this.refreshPreferences(), this.refreshUnread(), this.seedSeen()]);
    } catch (err) {
      this.hooks.log.warn('could not load the account yet', { error: String(err) });
    }
  }

  async login(req: LoginRequest): Promise<Session> {
    if (!isHttpUrl(req.serverUrl)) throw new ApiError(400, 'invalid_server_url', 'The server URL must start with http:// or https://');
    if (req.serverUrl.replace(/\/+$/, '') !== this.settings.serverUrl) {
      this.applySettings({ ...this.settings, serverUrl: req.serverUrl });
    }
    const res = await this.api.login(req.email, req.password);
    this.token = res.token;
    this.hooks.tokens.save(res.token);
    this.me = await this.api.me();
    this.hooks.onSession(this.session);
    await this.connect();
    return this.session;
  }

  async logout(): Promise<Session> {
    if (this.token) await this.api.logout().catch(() => undefined);
    this.signedOut(null);
    return this.session;
  }

  async switchWorkspace(workspaceId: string): Promise<Session> {
    this.me = await this.api.switchWorkspace(workspaceId);
    this.hooks.onSession(this.session);
    return this.session;
  }

  private signedOut(reason: string | null): void {
    const wasSignedIn = this.token !== null;
    this.token = null;
    this.me = null;
    this.hooks.tokens.save(null);
    this.stream.stop();
    this.stream.resetResumePoint();
    this.alerts.clear();
    this.seen.clear();
    this.unread = EMPTY_UNREAD;
    this.setConnection('signed-out');
    if (wasSignedIn) {
      if (reason) this.hooks.log.info(reason);
      this.hooks.onSession(this.session);
    }
  }

  private async connect(): Promise<void> {
    this.setConnection('connecting');
    await Promise.all([this.refreshPreferences(), this.refreshUnread(), this.seedSeen()]).catch((err) => {
      this.hooks.log.warn('initial load failed', { error: String(err) });
    });
    this.stream.start();
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
    switch (e.type) {
      case 'notification.created': {
        const n = e.data;
        if (this.seen.has(n.id)) break;
        this.remember(n.id);
        if (!n.read_at && !n.archived_at) this.setUnread(bumpUnread(this.unread, n.workspace_id, 1));
        this.alerts.push(n);
        break;
      }
      case 'notification.updated':
        // A repeat collapsed into an unread notification ("3 new replies from …"): news, so it
        // alerts like a new one (same preferences, bursts, quiet hours), without a new unread.
        if (isFullNotification(e.data) && !e.data.read_at && !e.data.archived_at) this.alerts.push(e.data);
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
      case 'resync':
        void this.poll();
        break;
      default:
        break;
    }
    this.hooks.onStreamEvent(e);
  }

  /** While the stream is down (every 60 s) and after a resync: refresh counts, alert what is new. */
  async poll(): Promise<void> {
    await this.refreshUnread();
    const page = await this.api.listNotifications({ only_unread: true, limit: 50 });
    const fresh = page.items.filter((n) => !this.seen.has(n.id)).reverse();
    for (const n of fresh) {
      this.remember(n.id);
      this.alerts.push(n);
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

  private remember(id: string): void {
    this.seen.add(id);
    if (this.seen.size > SEEN_LIMIT) {
      const first = this.seen.values().next().value;
      if (first !== undefined) this.seen.delete(first);
    }
  }

  private async seedSeen(): Promise<void> {
    const page = await this.api.listNotifications({ limit: 100 });
    for (const n of page.items) this.remember(n.id);
  }

  private async refreshUnread(): Promise<void> {
    this.setUnread(toUnreadCount(await this.api.unreadCount()) ?? EMPTY_UNREAD);
  }

  private async refreshPreferences(): Promise<void> {
    try {
      this.prefs = await this.api.getPreferences();
    } catch (err) {
      // A server without the preferences API answers 404: alert with the defaults.
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
      this.prefs = DEFAULT_PREFERENCES;
    }
    this.alerts.setPreferences(this.prefs);
  }

  // ---- alerts -----------------------------------------------------------------------------

  workspaceName(id: string): string {
    return this.me?.memberships.find((m) => m.workspace_id === id)?.workspace_name ?? this.me?.current_workspace?.name ?? '';
  }

  private emitAlert(a: Alert): void {
    this.hooks.showAlert(a, (id) => this.workspaceName(id));
    if (a.sound && this.settings.soundsEnabled) this.hooks.playSound(a.sound, this.settings.volume);
  }

  testSound(sound: SoundName, volume?: number): void {
    this.hooks.playSound(sound, volume ?? this.settings.volume);
  }

  // ---- notifications ------------------------------------------------------------------------

  private requireSession(): void {
    if (!this.token) throw new ApiError(401, 'unauthorized', 'Please log in.');
  }

  listNotifications(q: NotificationQuery): Promise<Page<NotificationItem>> {
    this.requireSession();
    return this.api.listNotifications(q);
  }

  async updateNotification(id: string, change: NotificationChange): Promise<NotificationItem> {
    this.requireSession();
    const n = await this.api.updateNotification(id, change);
    void this.refreshUnread().catch(() => undefined);
    return n;
  }

  async markAllSeen(options: { workspaceId?: string; before?: string } = {}): Promise<{ updated: number }> {
    this.requireSession();
    const r = await this.api.markAllSeen(options);
    if (r.updated > 0) void this.refreshUnread().catch(() => undefined);
    return r;
  }

  muteNotification(id: string, scope: MuteScope): Promise<MuteItem> {
    this.requireSession();
    return this.api.muteNotification(id, scope);
  }

  listMutes(): Promise<{ items: MuteItem[] }> {
    this.requireSession();
    return this.api.listMutes();
  }

  deleteMute(id: string): Promise<void> {
    this.requireSession();
    return this.api.deleteMute(id);
  }

  async markAllRead(workspaceId?: string): Promise<{ updated: number }> {
    this.requireSession();
    const r = await this.api.markAllRead(workspaceId);
    void this.refreshUnread().catch(() => undefined);
    return r;
  }

  /** Click on a notification (list or native toast): mark it read, then open its target. */
  async openNotification(id: string): Promise<{ opened: OpenResult }> {
    const n = await this.updateNotification(id, { read: true });
    const t = resolveTarget(n.target_url, this.settings.webAppBaseUrl);
    switch (t.kind) {
      case 'external':
        this.hooks.openInBrowser(t.url);
        return { opened: 'external' };
      case 'activity':
        this.hooks.openActivity(t.query);
        return { opened: 'activity' };
      case 'refused':
        this.hooks.log.warn('refused to open notification target', { id, target: n.target_url, reason: t.reason });
        return { opened: 'refused' };
      case 'detail':
        return { opened: 'detail' };
      default:
        return { opened: 'none' };
    }
  }

  // ---- activity --------------------------------------------------------------------------------

  listActivity(q: ActivityQuery): Promise<Page<ActivityItem>> {
    this.requireSession();
    return this.api.listActivity(q);
  }

  /** Admin views are for super admins only; checked here as well as by the server. */
  requireSuperAdmin(): void {
    this.requireSession();
    if (!this.me?.is_super_admin) throw new ApiError(403, 'forbidden', 'Only super admins can see all workspaces.');
  }

  adminActivity(q: AdminActivityQuery): Promise<Page<ActivityItem>> {
    this.requireSuperAdmin();
    return this.api.listAdminActivity(q);
  }

  adminWorkspaces() {
    this.requireSuperAdmin();
    return this.api.adminWorkspaces();
  }

  adminUsers(workspaceId?: string) {
    this.requireSuperAdmin();
    return this.api.adminUsers(workspaceId);
  }

  criticalEvents(limit?: number) {
    this.requireSuperAdmin();
    return this.api.criticalEvents(limit);
  }

  // ---- preferences and settings -----------------------------------------------------------------

  /** For the Settings window: says so when the server has no preferences API instead of showing defaults as if saved. */
  async getPreferences(): Promise<Preferences> {
    this.requireSession();
    try {
      this.prefs = await this.api.getPreferences();
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
    this.requireSession();
    this.prefs = await this.api.putPreferences(p);
    this.alerts.setPreferences(this.prefs);
    return this.prefs;
  }

  getSettings(): LocalSettings {
    return this.settings;
  }

  setSettings(partial: Partial<LocalSettings>): LocalSettings {
    return this.applySettings(sanitizeSettings(partial, this.settings));
  }

  private applySettings(next: LocalSettings): LocalSettings {
    const prevServer = this.settings.serverUrl;
    this.settings = this.hooks.settings.save(next);
    this.alerts.setSoundSettings(this.settings);
    if (this.settings.serverUrl !== prevServer) {
      // Another server: the old token and resume point mean nothing there.
      this.signedOut(null);
      this.api = this.makeApi(this.settings.serverUrl);
    }
    return this.settings;
  }
}
