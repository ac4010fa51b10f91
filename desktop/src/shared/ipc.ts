// The one table of IPC channels between the renderer windows and the main process:
// each channel with its request and response type. Only src/main/ipc.ts (ipcMain) and
// src/preload/index.ts (ipcRenderer) touch Electron's IPC; everyone else uses these types.
import type { SoundName } from './sounds.ts';
import type { LocalSettings } from './settings.ts';
import type * as Api from './types.ts';

export type WindowName = 'bell' | 'activity' | 'admin' | 'settings' | 'login';

export interface Session {
  serverUrl: string;
  me: Api.Me | null;
  /** Signed in, but the server could not be reached yet to load the account (offline at start). */
  restoring: boolean;
}

export interface AppState {
  connection: Api.ConnectionState;
  unread: Api.UnreadCount;
  /** When the stream last delivered an event (ISO), for "Live · last event 10:42". */
  lastEventAt?: string | null;
  /** False while the user is active on another device: new notifications arrive silently here. */
  alertsHere?: boolean;
}

/**
 * A notification to show in the bell, after a click on its native toast did not land on a link:
 * the list scrolls to it and highlights it; with `detail`, the bell shows it in place (as a click
 * in the list does for an item without a host-app target).
 */
export interface NotificationFocus {
  id: string;
  detail: boolean;
}

/** Machine-wide configuration as IT deployed it (provided by src/main/deployment). */
export interface DeploymentInfo {
  serverUrl: string | null;
  serverUrlLocked: boolean;
  webAppBaseUrl: string | null;
  startAtLogin: boolean;
  startAtLoginLocked: boolean;
  autoUpdate: boolean;
  problems: string[];
}

export interface LoginRequest {
  serverUrl: string;
  email: string;
  password: string;
}

/** Invoke channels: renderer -> main, answered with `res`. */
export interface IpcInvokeContract {
  'session:get': { req: void; res: Session };
  'session:login': { req: LoginRequest; res: Session };
  'session:logout': { req: void; res: Session };
  'session:switch-workspace': { req: { workspaceId: string }; res: Session };
  'state:get': { req: void; res: AppState };
  'notifications:list': { req: Api.NotificationQuery; res: Api.Page<Api.NotificationItem> };
  'notifications:update': { req: { id: string } & Api.NotificationChange; res: Api.NotificationItem };
  'notifications:mark-all-read': { req: { workspaceId?: string }; res: Api.BulkResult };
  'notifications:bulk': { req: Api.BulkRequest; res: Api.BulkResult };
  'notifications:bulk-undo': { req: { undoToken: string }; res: Api.BulkUndoResult };
  'notifications:mark-all-seen': { req: { workspaceId?: string; before?: string }; res: { updated: number } };
  'notifications:open': { req: { id: string }; res: { opened: Api.OpenResult } };
  'notifications:mute': { req: { id: string; scope: Api.MuteScope }; res: Api.MuteItem };
  'notifications:claim': { req: { id: string; claim: boolean }; res: Api.NotificationItem };
  'notifications:test-alert': { req: void; res: Api.DeliveryTest };
  'notifications:delivery-reports': { req: { id: string }; res: Api.DeliveryTest };
  'mutes:list': { req: void; res: { items: Api.MuteItem[] } };
  'mutes:delete': { req: { id: string }; res: void };
  'activity:list': { req: Api.ActivityQuery; res: Api.Page<Api.ActivityItem> };
  'admin:activity': { req: Api.AdminActivityQuery; res: Api.Page<Api.ActivityItem> };
  'admin:workspaces': { req: void; res: { items: Api.AdminWorkspace[] } };
  'admin:users': { req: { workspaceId?: string }; res: { items: Api.AdminUser[] } };
  'admin:critical-events': { req: { limit?: number }; res: { items: Api.ActivityItem[] } };
  'activity:export': { req: Api.ActivityExportRequest; res: { rows: number; file: string } };
  'activity:open-target': { req: { target: string }; res: { opened: Api.OpenResult } };
  'workspace:members': { req: void; res: { items: Api.WorkspaceMember[] } };
  'workspace:set-member-role': { req: { userId: string; role: Api.Role }; res: { user_id: string; name: string; role: Api.Role } };
  'workspace:remove-member': { req: { userId: string }; res: void };
  'workspace:retention': { req: void; res: Api.ActivityRetention };
  'workspace:set-retention': { req: { days: number }; res: Api.ActivityRetention };
  'workspace:notification-defaults': { req: void; res: Api.WorkspaceNotificationDefaults };
  'workspace:set-notification-defaults': { req: { types: Record<string, Api.WorkspaceTypeDefaultInput> }; res: Api.WorkspaceNotificationDefaults };
  'workspace:escalations': { req: void; res: { items: Api.EscalationRule[] } };
  'workspace:set-escalations': { req: { items: Api.EscalationRule[] }; res: { items: Api.EscalationRule[] } };
  'alert-rules:list': { req: void; res: { items: Api.AlertRule[] } };
  'alert-rules:create': { req: Api.AlertRuleInput; res: Api.AlertRule };
  'alert-rules:update': { req: { id: string; change: Partial<Api.AlertRuleInput> }; res: Api.AlertRule };
  'alert-rules:remove': { req: { id: string }; res: void };
  'preferences:get': { req: void; res: Api.Preferences };
  'preferences:set': { req: Api.Preferences; res: Api.Preferences };
  'settings:get': { req: void; res: LocalSettings };
  'settings:set': { req: Partial<LocalSettings>; res: LocalSettings };
  'sound:test': { req: { sound: SoundName; volume?: number }; res: void };
  'deployment:get': { req: void; res: DeploymentInfo };
  'window:open': { req: { name: WindowName; query?: string }; res: void };
  'window:close': { req: void; res: void };
}

/** Event channels: main -> renderer. */
export interface IpcEventContract {
  'app:state': AppState;
  'app:session': Session;
  'stream:event': Api.StreamEvent;
  'sound:play': { sound: SoundName; volume: number };
  /** Rows of the running export received so far. */
  'export:progress': { rows: number };
  'notification:focus': NotificationFocus;
}

export type InvokeChannel = keyof IpcInvokeContract;
export type EventChannel = keyof IpcEventContract;
export type InvokeRequest<C extends InvokeChannel> = IpcInvokeContract[C]['req'];
export type InvokeResponse<C extends InvokeChannel> = IpcInvokeContract[C]['res'];

/** Runtime list of the channels, checked against the contract by the compiler in both directions. */
export const INVOKE_CHANNELS = [
  'session:get',
  'session:login',
  'session:logout',
  'session:switch-workspace',
  'state:get',
  'notifications:list',
  'notifications:update',
  'notifications:mark-all-read',
  'notifications:bulk',
  'notifications:bulk-undo',
  'notifications:mark-all-seen',
  'notifications:open',
  'notifications:mute',
  'notifications:claim',
  'notifications:test-alert',
  'notifications:delivery-reports',
  'mutes:list',
  'mutes:delete',
  'activity:list',
  'admin:activity',
  'admin:workspaces',
  'admin:users',
  'admin:critical-events',
  'activity:export',
  'activity:open-target',
  'workspace:members',
  'workspace:set-member-role',
  'workspace:remove-member',
  'workspace:retention',
  'workspace:set-retention',
  'workspace:notification-defaults',
  'workspace:set-notification-defaults',
  'workspace:escalations',
  'workspace:set-escalations',
  'alert-rules:list',
  'alert-rules:create',
  'alert-rules:update',
  'alert-rules:remove',
  'preferences:get',
  'preferences:set',
  'settings:get',
  'settings:set',
  'sound:test',
  'deployment:get',
  'window:open',
  'window:close',
] as const satisfies readonly InvokeChannel[];

export const EVENT_CHANNELS = ['app:state', 'app:session', 'stream:event', 'sound:play', 'export:progress', 'notification:focus'] as const satisfies readonly EventChannel[];

// Compile-time check that no channel of the contract is missing from the runtime lists.
type Missing<All, Listed> = Exclude<All, Listed>;
const _allInvokeListed: Missing<InvokeChannel, (typeof INVOKE_CHANNELS)[number]> extends never ? true : never = true;
const _allEventsListed: Missing<EventChannel, (typeof EVENT_CHANNELS)[number]> extends never ? true : never = true;
void _allInvokeListed;
void _allEventsListed;

/** Errors cross IPC as a message only; this prefix carries the API error code. */
export function encodeIpcError(code: string, message: string): string {
  return `[${code}] ${message}`;
}

export function decodeIpcError(message: string): { code: string; message: string } {
  // Electron prefixes "Error invoking remote method '<channel>': Error: ".
  const m = /\[([a-z0-9_]+)\] ([\s\S]*)$/.exec(message);
  return m ? { code: m[1] ?? 'error', message: m[2] ?? message } : { code: 'error', message };
}

type Unsubscribe = () => void;

/**
 * The domain API the renderer sees, whatever it runs in: the Electron preload exposes it as
 * `window.app`; in a browser, src/renderer/platform/browser.ts implements it on the same shared code.
 */
export interface AppApi {
  readonly platform: 'electron' | 'web';
  session: {
    get(): Promise<Session>;
    login(req: LoginRequest): Promise<Session>;
    logout(): Promise<Session>;
    switchWorkspace(workspaceId: string): Promise<Session>;
  };
  state: { get(): Promise<AppState> };
  notifications: {
    list(q: Api.NotificationQuery): Promise<Api.Page<Api.NotificationItem>>;
    update(id: string, change: Api.NotificationChange): Promise<Api.NotificationItem>;
    /** Answers an undo token (null when nothing was unread) for undoBulk. */
    markAllRead(workspaceId?: string): Promise<Api.BulkResult>;
    /** One action on many entries in one request, all or nothing; answers a single-use undo token. */
    bulk(req: Api.BulkRequest): Promise<Api.BulkResult>;
    undoBulk(undoToken: string): Promise<Api.BulkUndoResult>;
    /** What the list showed is seen: the badge counts unseen. */
    markAllSeen(options?: { workspaceId?: string; before?: string }): Promise<{ updated: number }>;
    /** Marks it read and opens its target (host app, the activity window, or 'detail': show it in place). */
    open(id: string): Promise<{ opened: Api.OpenResult }>;
    /** Stop this type, or everything about its lead/job/run. */
    mute(id: string, scope: Api.MuteScope): Promise<Api.MuteItem>;
    /** Take on a workspace-level notification (true) or give the claim back (false). */
    claim(id: string, claim: boolean): Promise<Api.NotificationItem>;
    /** "Send me a test alert": a real notification to oneself, for each client to report on. */
    sendTest(): Promise<Api.DeliveryTest>;
    /** What each of one's clients reported about a notification's toast. */
    deliveryReports(id: string): Promise<Api.DeliveryTest>;
  };
  mutes: {
    list(): Promise<{ items: Api.MuteItem[] }>;
    remove(id: string): Promise<void>;
  };
  activity: {
    list(q: Api.ActivityQuery): Promise<Api.Page<Api.ActivityItem>>;
    /** Downloads every matching entry (web: the browser's download; desktop: the Downloads folder). Progress: on.exportProgress. */
    export(req: Api.ActivityExportRequest): Promise<{ rows: number; file: string }>;
    /** Opens an entry's target in the host app (the web app base URL), like a notification's. */
    openTarget(target: string): Promise<{ opened: Api.OpenResult }>;
  };
  workspace: {
    /** Members of the current workspace (for pickers). */
    members(): Promise<{ items: Api.WorkspaceMember[] }>;
    /** Admins: change a member's role (the last admin cannot be demoted). */
    setMemberRole(userId: string, role: Api.Role): Promise<{ user_id: string; name: string; role: Api.Role }>;
    /** Admins: remove someone from the workspace (never the last admin). */
    removeMember(userId: string): Promise<void>;
    /** Admins: how long the workspace's activity is kept, and set it (at most the server's maximum). */
    retention(): Promise<Api.ActivityRetention>;
    setRetention(days: number): Promise<Api.ActivityRetention>;
    /** Admins: the members' default preferences per type, and the types kept on for everyone. */
    notificationDefaults(): Promise<Api.WorkspaceNotificationDefaults>;
    setNotificationDefaults(types: Record<string, Api.WorkspaceTypeDefaultInput>): Promise<Api.WorkspaceNotificationDefaults>;
    /** Admins: who hears of a workspace alert nobody claimed or read in time. */
    escalations(): Promise<{ items: Api.EscalationRule[] }>;
    setEscalations(items: Api.EscalationRule[]): Promise<{ items: Api.EscalationRule[] }>;
  };
  alertRules: {
    list(): Promise<{ items: Api.AlertRule[] }>;
    create(input: Api.AlertRuleInput): Promise<Api.AlertRule>;
    update(id: string, change: Partial<Api.AlertRuleInput>): Promise<Api.AlertRule>;
    remove(id: string): Promise<void>;
  };
  admin: {
    activity(q: Api.AdminActivityQuery): Promise<Api.Page<Api.ActivityItem>>;
    workspaces(): Promise<{ items: Api.AdminWorkspace[] }>;
    users(workspaceId?: string): Promise<{ items: Api.AdminUser[] }>;
    criticalEvents(limit?: number): Promise<{ items: Api.ActivityItem[] }>;
  };
  preferences: {
    get(): Promise<Api.Preferences>;
    set(p: Api.Preferences): Promise<Api.Preferences>;
  };
  settings: {
    get(): Promise<LocalSettings>;
    set(s: Partial<LocalSettings>): Promise<LocalSettings>;
    testSound(sound: SoundName, volume?: number): Promise<void>;
  };
  deployment: { get(): Promise<DeploymentInfo> };
  windows: { open(name: WindowName, query?: string): Promise<void>; close(): Promise<void> };
  on: {
    state(cb: (s: AppState) => void): Unsubscribe;
    session(cb: (s: Session) => void): Unsubscribe;
    streamEvent(cb: (e: Api.StreamEvent) => void): Unsubscribe;
    playSound(cb: (p: { sound: SoundName; volume: number }) => void): Unsubscribe;
    exportProgress(cb: (p: { rows: number }) => void): Unsubscribe;
    /** A native toast was clicked: show this notification in the bell. */
    focusNotification(cb: (f: NotificationFocus) => void): Unsubscribe;
  };
}
