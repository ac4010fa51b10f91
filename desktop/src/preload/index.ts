// Exposes the domain API (shared/ipc.ts AppApi) as window.app. The renderer never sees ipcRenderer.
import { contextBridge, ipcRenderer } from 'electron';
import {
  decodeIpcError,
  type AppApi,
  type EventChannel,
  type InvokeChannel,
  type InvokeRequest,
  type InvokeResponse,
  type IpcEventContract,
} from '../shared/ipc.ts';

class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function invoke<C extends InvokeChannel>(channel: C, req?: InvokeRequest<C>): Promise<InvokeResponse<C>> {
  try {
    return (await ipcRenderer.invoke(channel, req)) as InvokeResponse<C>;
  } catch (err) {
    const { code, message } = decodeIpcError(err instanceof Error ? err.message : String(err));
    throw new AppError(code, message);
  }
}

function on<C extends EventChannel>(channel: C, cb: (payload: IpcEventContract[C]) => void): () => void {
  const listener = (_e: Electron.IpcRendererEvent, payload: IpcEventContract[C]) => cb(payload);
  ipcRenderer.on(channel, listener);
  return () => ipcRenderer.removeListener(channel, listener);
}

const api: AppApi = {
  platform: 'electron',
  session: {
    get: () => invoke('session:get'),
    login: (req) => invoke('session:login', req),
    logout: () => invoke('session:logout'),
    switchWorkspace: (workspaceId) => invoke('session:switch-workspace', { workspaceId }),
  },
  state: { get: () => invoke('state:get') },
  notifications: {
    list: (q) => invoke('notifications:list', q),
    update: (id, change) => invoke('notifications:update', { id, ...change }),
    markAllRead: (workspaceId) => invoke('notifications:mark-all-read', { workspaceId }),
    markAllSeen: (options) => invoke('notifications:mark-all-seen', options ?? {}),
    bulk: (req) => invoke('notifications:bulk', req),
    undoBulk: (undoToken) => invoke('notifications:bulk-undo', { undoToken }),
    open: (id) => invoke('notifications:open', { id }),
    mute: (id, scope) => invoke('notifications:mute', { id, scope }),
    claim: (id, claim) => invoke('notifications:claim', { id, claim }),
    sendTest: () => invoke('notifications:test-alert'),
    deliveryReports: (id) => invoke('notifications:delivery-reports', { id }),
  },
  mutes: {
    list: () => invoke('mutes:list'),
    remove: (id) => invoke('mutes:delete', { id }),
  },
  activity: {
    list: (q) => invoke('activity:list', q),
    export: (req) => invoke('activity:export', req),
    openTarget: (target) => invoke('activity:open-target', { target }),
  },
  workspace: {
    members: () => invoke('workspace:members'),
    setMemberRole: (userId, role) => invoke('workspace:set-member-role', { userId, role }),
    removeMember: (userId) => invoke('workspace:remove-member', { userId }),
    retention: () => invoke('workspace:retention'),
    setRetention: (days) => invoke('workspace:set-retention', { days }),
    notificationDefaults: () => invoke('workspace:notification-defaults'),
    setNotificationDefaults: (types) => invoke('workspace:set-notification-defaults', { types }),
    escalations: () => invoke('workspace:escalations'),
    setEscalations: (items) => invoke('workspace:set-escalations', { items }),
  },
  alertRules: {
    list: () => invoke('alert-rules:list'),
    create: (input) => invoke('alert-rules:create', input),
    update: (id, change) => invoke('alert-rules:update', { id, change }),
    remove: (id) => invoke('alert-rules:remove', { id }),
  },
  admin: {
    activity: (q) => invoke('admin:activity', q),
    workspaces: () => invoke('admin:workspaces'),
    users: (workspaceId) => invoke('admin:users', { workspaceId }),
    criticalEvents: (limit) => invoke('admin:critical-events', { limit }),
  },
  preferences: {
    get: () => invoke('preferences:get'),
    set: (p) => invoke('preferences:set', p),
  },
  settings: {
    get: () => invoke('settings:get'),
    set: (s) => invoke('settings:set', s),
    testSound: (sound, volume) => invoke('sound:test', { sound, volume }),
  },
  deployment: { get: () => invoke('deployment:get') },
  windows: {
    open: (name, query) => invoke('window:open', { name, query }),
    close: () => invoke('window:close'),
  },
  on: {
    state: (cb) => on('app:state', cb),
    session: (cb) => on('app:session', cb),
    streamEvent: (cb) => on('stream:event', cb),
    playSound: (cb) => on('sound:play', cb),
    exportProgress: (cb) => on('export:progress', cb),
    focusNotification: (cb) => on('notification:focus', cb),
  },
};

contextBridge.exposeInMainWorld('app', api);
