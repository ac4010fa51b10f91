import { ApiClient, ApiError, type ApiClientOptions } from './api-client.ts';
import type { LoginRequest, Session } from './ipc.ts';
import { isHttpUrl, sanitizeSettings, type LocalSettings } from './settings.ts';
import type { Me } from './types.ts';

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

export interface SessionHooks {
  /** For axios' fetch adapter (the main process passes Electron's net.fetch: system proxy and certificates). */
  apiFetchEnv?: ApiClientOptions['fetchEnv'];
  tokens: TokenStore;
  settings: SettingsStore;
  onSession(session: Session): void;
  log: Logger;
}

/** What the session asks of the live part (stream, unread count, alerts) as it signs in and out. */
export interface SessionListener {
  /** Signed in, or a stored session restored: load the counts and connect. */
  signedIn(): Promise<void>;
  /** Signed out (or the server changed): drop the stream and everything of the old account. */
  signedOut(): void;
  settingsChanged(settings: LocalSettings): void;
}

const EXPIRED = 'The session expired; please log in again.';

/**
 * Who is signed in, where: the token, the local settings, the signed-in user and the API
 * client for the configured server; the guards every call on the user's behalf goes through.
 */
export class AppSession {
  private token: string | null;
  private settings: LocalSettings;
  private me: Me | null = null;
  private client: ApiClient;
  private listener: SessionListener | null = null;
  /** Names of every workspace, for a super admin's alerts: they belong to none, so their memberships name none. */
  private adminWorkspaceNames = new Map<string, string>();

  constructor(private readonly hooks: SessionHooks) {
    this.token = hooks.tokens.load();
    this.settings = hooks.settings.load();
    this.client = this.makeApi(this.settings.serverUrl);
  }

  /** Set once by the wiring (the live part is built on this session). */
  listen(listener: SessionListener): void {
    this.listener = listener;
  }

  private makeApi(baseUrl: string): ApiClient {
    return new ApiClient({
      baseUrl,
      fetchEnv: this.hooks.apiFetchEnv,
      getToken: () => this.token,
      onUnauthorized: () => this.signedOut(EXPIRED),
    });
  }

  get snapshot(): Session {
    return { serverUrl: this.settings.serverUrl, me: this.me, restoring: this.token !== null && this.me === null };
  }

  get currentUser(): Me | null {
    return this.me;
  }

  /** The stream sends it itself (its own fetch, not the API client). */
  get currentToken(): string | null {
    return this.token;
  }

  /** The client of the configured server, for calls that need no session (the stream's own checks). */
  get api(): ApiClient {
    return this.client;
  }

  /** The API client, for a call on the signed-in user's behalf; throws 401 when nobody is. */
  signedInApi(): ApiClient {
    if (!this.token) throw new ApiError(401, 'unauthorized', 'Please log in.');
    return this.client;
  }

  /** Admin views are for super admins only; checked here, before any request, as well as by the server. */
  superAdminApi(): ApiClient {
    const api = this.signedInApi();
    if (!this.me?.is_super_admin) throw new ApiError(403, 'forbidden', 'Only super admins can see all workspaces.');
    return api;
  }

  /** Restores the stored session, if any, and connects. */
  async start(): Promise<Session> {
    if (!this.token) return this.snapshot;
    try {
      this.me = await this.client.me();
      await this.learnWorkspaceNames();
    } catch (err) {
      if (err instanceof ApiError && err.isUnauthorized) return this.snapshot;
      // Server unreachable: keep the token, retry through the stream's backoff.
      this.hooks.log.warn('could not restore the session now', { error: String(err) });
    }
    this.hooks.onSession(this.snapshot);
    await this.listener?.signedIn();
    return this.snapshot;
  }

  /** Loads the account of a stored token once the server answers (started offline). */
  async loadAccount(): Promise<void> {
    this.me = await this.client.me();
    await this.learnWorkspaceNames();
    this.hooks.onSession(this.snapshot);
  }

  async login(req: LoginRequest): Promise<Session> {
    if (!isHttpUrl(req.serverUrl)) throw new ApiError(400, 'invalid_server_url', 'The server URL must start with http:// or https://');
    if (req.serverUrl.replace(/\/+$/, '') !== this.settings.serverUrl) {
      this.applySettings({ ...this.settings, serverUrl: req.serverUrl });
    }
    const res = await this.client.login(req.email, req.password);
    this.token = res.token;
    this.hooks.tokens.save(res.token);
    this.me = await this.client.me();
    await this.learnWorkspaceNames();
    this.hooks.onSession(this.snapshot);
    await this.listener?.signedIn();
    return this.snapshot;
  }

  async logout(): Promise<Session> {
    if (this.token) await this.client.logout().catch(() => undefined);
    this.signedOut(null);
    return this.snapshot;
  }

  async switchWorkspace(workspaceId: string): Promise<Session> {
    this.me = await this.client.switchWorkspace(workspaceId);
    this.hooks.onSession(this.snapshot);
    return this.snapshot;
  }

  /** The server refused the token (an API call or the stream): sign out and say why in the log. */
  expired(): void {
    this.signedOut(EXPIRED);
  }

  private signedOut(reason: string | null): void {
    const wasSignedIn = this.token !== null;
    this.token = null;
    this.me = null;
    this.adminWorkspaceNames.clear();
    this.hooks.tokens.save(null);
    this.listener?.signedOut();
    if (wasSignedIn) {
      if (reason) this.hooks.log.info(reason);
      this.hooks.onSession(this.snapshot);
    }
  }

  workspaceName(id: string): string {
    const name =
      this.me?.memberships.find((m) => m.workspace_id === id)?.workspace_name ??
      (this.me?.current_workspace?.id === id ? this.me.current_workspace.name : undefined) ??
      this.adminWorkspaceNames.get(id);
    // A workspace made since the names were loaded: named from the next alert on.
    if (name === undefined && this.me?.is_super_admin) void this.learnWorkspaceNames();
    return name ?? '';
  }

  private async learnWorkspaceNames(): Promise<void> {
    if (!this.me?.is_super_admin) return;
    try {
      const { items } = await this.client.adminWorkspaces();
      this.adminWorkspaceNames = new Map(items.map((w) => [w.id, w.name]));
    } catch (err) {
      this.hooks.log.warn('could not load the workspaces’ names', { error: String(err) });
    }
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
    this.listener?.settingsChanged(this.settings);
    if (this.settings.serverUrl !== prevServer) {
      // Another server: the old token and resume point mean nothing there.
      this.signedOut(null);
      this.client = this.makeApi(this.settings.serverUrl);
    }
    return this.settings;
  }
}
