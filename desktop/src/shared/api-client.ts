import axios, { AxiosError, type AxiosInstance, type AxiosRequestConfig } from 'axios';
import type {
  ActivityItem,
  ActivityQuery,
  ActivityRetention,
  AdminActivityQuery,
  AdminUser,
  AdminWorkspace,
  AlertDevices,
  AlertRule,
  AlertRuleInput,
  BulkRequest,
  BulkResult,
  BulkUndoResult,
  DeliveryReportInput,
  DeliveryTest,
  EscalationRule,
  LoginResponse,
  Me,
  MuteItem,
  MuteScope,
  NotificationChange,
  NotificationItem,
  NotificationQuery,
  Page,
  Preferences,
  PresenceReport,
  Role,
  UnreadCount,
  WorkspaceMember,
  WorkspaceNotificationDefaults,
  WorkspaceTypeDefaultInput,
} from './types.ts';

/** An error answered by the server (`{error, message}`) or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }
}

export interface ApiClientOptions {
  baseUrl: string;
  getToken: () => string | null;
  /** Called on any 401 from an authenticated call (token expired or revoked). */
  onUnauthorized?: () => void;
  timeoutMs?: number;
  /**
   * A fetch implementation for axios' fetch adapter. The main process passes Electron's
   * `net.fetch`, so requests use Chromium's network stack (system proxy, corporate certificates).
   */
  fetchEnv?: AxiosRequestConfig['env'];
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof AxiosError) {
    const res = err.response;
    if (!res) return new ApiError(0, 'network_error', 'The server could not be reached.');
    const body = res.data as { error?: unknown; message?: unknown } | undefined;
    const retry = Number(res.headers?.['retry-after']);
    return new ApiError(
      res.status,
      typeof body?.error === 'string' ? body.error : `http_${res.status}`,
      typeof body?.message === 'string' ? body.message : `Request failed with status ${res.status}`,
      Number.isFinite(retry) ? retry : null,
    );
  }
  return new ApiError(0, 'unknown', err instanceof Error ? err.message : String(err));
}

/** Drops undefined/empty values so they are not sent as `?type=`. */
function params(q: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    out[k] = String(v);
  }
  return out;
}

/** Typed client of the server's REST API (shapes from @tray-notify/contract). Runs in Node (main) and browsers. */
export class ApiClient {
  private readonly http: AxiosInstance;

  constructor(private readonly opts: ApiClientOptions) {
    this.http = axios.create({
      baseURL: opts.baseUrl.replace(/\/+$/, ''),
      timeout: opts.timeoutMs ?? 15_000,
      ...(opts.fetchEnv ? { adapter: 'fetch' as const, env: opts.fetchEnv } : {}),
    });
    this.http.interceptors.request.use((config) => {
      const token = opts.getToken();
      if (token) config.headers.set('Authorization', `Bearer ${token}`);
      return config;
    });
  }

  get baseUrl(): string {
    return this.opts.baseUrl.replace(/\/+$/, '');
  }

  private async call<T>(method: 'get' | 'post' | 'put' | 'patch' | 'delete', url: string, body?: unknown, query?: object): Promise<T> {
    try {
      const res = await this.http.request<T>({ method, url, data: body, params: query ? params(query) : undefined });
      return res.data;
    } catch (err) {
      const apiErr = toApiError(err);
      if (apiErr.isUnauthorized && url !== '/api/auth/login') this.opts.onUnauthorized?.();
      throw apiErr;
    }
  }

  login(email: string, password: string): Promise<LoginResponse> {
    return this.call('post', '/api/auth/login', { email, password });
  }

  async logout(): Promise<void> {
    await this.call('post', '/api/auth/logout');
  }

  me(): Promise<Me> {
    return this.call('get', '/api/me');
  }

  switchWorkspace(workspaceId: string): Promise<Me> {
    return this.call('put', '/api/me/current-workspace', { workspace_id: workspaceId });
  }

  listNotifications(q: NotificationQuery = {}): Promise<Page<NotificationItem>> {
    return this.call('get', '/api/notifications', undefined, q);
  }

  updateNotification(id: string, change: NotificationChange): Promise<NotificationItem> {
    return this.call('patch', `/api/notifications/${encodeURIComponent(id)}`, change);
  }

  markAllSeen(options: { workspaceId?: string; before?: string } = {}): Promise<{ updated: number }> {
    return this.call('post', '/api/notifications/mark-all-seen', {
      ...(options.workspaceId ? { workspace_id: options.workspaceId } : {}),
      ...(options.before ? { before: options.before } : {}),
    });
  }

  muteNotification(id: string, scope: MuteScope): Promise<MuteItem> {
    return this.call('post', `/api/notifications/${encodeURIComponent(id)}/mute`, { scope });
  }

  /** Take on (or give back) a workspace-level notification; 409 `already_claimed` names the holder. */
  claimNotification(id: string, claim: boolean): Promise<NotificationItem> {
    return this.call(claim ? 'post' : 'delete', `/api/notifications/${encodeURIComponent(id)}/claim`);
  }

  sendTestAlert(): Promise<DeliveryTest> {
    return this.call('post', '/api/notifications/test');
  }

  deliveryReports(id: string): Promise<DeliveryTest> {
    return this.call('get', `/api/notifications/${encodeURIComponent(id)}/delivery-reports`);
  }

  listMutes(): Promise<{ items: MuteItem[] }> {
    return this.call('get', '/api/notification-preferences/mutes');
  }

  async deleteMute(id: string): Promise<void> {
    await this.call('delete', `/api/notification-preferences/mutes/${encodeURIComponent(id)}`);
  }

  markAllRead(workspaceId?: string): Promise<BulkResult> {
    return this.call('post', '/api/notifications/mark-all-read', workspaceId ? { workspace_id: workspaceId } : {});
  }

  /** One action on many entries (ids, or everything a list filter matches) in one request. */
  bulkUpdateNotifications(req: BulkRequest): Promise<BulkResult> {
    return this.call('post', '/api/notifications/bulk', req);
  }

  undoBulkUpdate(undoToken: string): Promise<BulkUndoResult> {
    return this.call('post', '/api/notifications/bulk/undo', { undo_token: undoToken });
  }

  unreadCount(): Promise<UnreadCount> {
    return this.call('get', '/api/notifications/unread-count');
  }

  listActivity(q: ActivityQuery = {}): Promise<Page<ActivityItem>> {
    return this.call('get', '/api/activity', undefined, q);
  }

  listAdminActivity(q: AdminActivityQuery = {}): Promise<Page<ActivityItem>> {
    return this.call('get', '/api/admin/activity', undefined, q);
  }

  adminWorkspaces(): Promise<{ items: AdminWorkspace[] }> {
    return this.call('get', '/api/admin/workspaces');
  }

  adminUsers(workspaceId?: string): Promise<{ items: AdminUser[] }> {
    return this.call('get', '/api/admin/users', undefined, { workspace_id: workspaceId });
  }

  criticalEvents(limit = 10): Promise<{ items: ActivityItem[] }> {
    return this.call('get', '/api/admin/critical-events', undefined, { limit });
  }

  listMembers(): Promise<{ items: WorkspaceMember[] }> {
    return this.call('get', '/api/workspace/members');
  }

  changeMemberRole(userId: string, role: Role): Promise<{ user_id: string; name: string; role: Role }> {
    return this.call('patch', `/api/workspace/members/${encodeURIComponent(userId)}`, { role });
  }

  async removeMember(userId: string): Promise<void> {
    await this.call('delete', `/api/workspace/members/${encodeURIComponent(userId)}`);
  }

  activityRetention(): Promise<ActivityRetention> {
    return this.call('get', '/api/workspace/activity-retention');
  }

  setActivityRetention(days: number): Promise<ActivityRetention> {
    return this.call('put', '/api/workspace/activity-retention', { retention_days: days });
  }

  notificationDefaults(): Promise<WorkspaceNotificationDefaults> {
    return this.call('get', '/api/workspace/notification-defaults');
  }

  /** Types left out go back to the built-in defaults. */
  setNotificationDefaults(types: Record<string, WorkspaceTypeDefaultInput>): Promise<WorkspaceNotificationDefaults> {
    return this.call('put', '/api/workspace/notification-defaults', { types });
  }

  notificationEscalations(): Promise<{ items: EscalationRule[] }> {
    return this.call('get', '/api/workspace/notification-escalations');
  }

  setNotificationEscalations(items: EscalationRule[]): Promise<{ items: EscalationRule[] }> {
    return this.call('put', '/api/workspace/notification-escalations', { items });
  }

  listAlertRules(): Promise<{ items: AlertRule[] }> {
    return this.call('get', '/api/alert-rules');
  }

  createAlertRule(input: AlertRuleInput): Promise<AlertRule> {
    return this.call('post', '/api/alert-rules', input);
  }

  updateAlertRule(id: string, change: Partial<AlertRuleInput>): Promise<AlertRule> {
    return this.call('patch', `/api/alert-rules/${encodeURIComponent(id)}`, change);
  }

  async deleteAlertRule(id: string): Promise<void> {
    await this.call('delete', `/api/alert-rules/${encodeURIComponent(id)}`);
  }

  getPreferences(): Promise<Preferences> {
    return this.call('get', '/api/notification-preferences');
  }

  putPreferences(prefs: Preferences): Promise<Preferences> {
    return this.call('put', '/api/notification-preferences', prefs);
  }

  /** This device has input now, or went idle: the server decides where new notifications alert. */
  reportPresence(report: PresenceReport): Promise<AlertDevices & { active_for_seconds: number }> {
    return this.call('post', '/api/presence', report);
  }

  getPresence(): Promise<AlertDevices & { alert_every_device: boolean }> {
    return this.call('get', '/api/presence');
  }

  setAlertEveryDevice(enabled: boolean): Promise<AlertDevices & { alert_every_device: boolean }> {
    return this.call('put', '/api/presence/alert-every-device', { enabled });
  }

  /** Whether this client's OS toast of a notification was shown (the delivery self-test). */
  async reportDelivery(id: string, report: DeliveryReportInput): Promise<void> {
    await this.call('post', `/api/notifications/${encodeURIComponent(id)}/delivery-report`, report);
  }
}
