import type * as Electron from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppApi } from '../shared/ipc.ts';

type E = typeof Electron;
const exposed = new Map<string, unknown>();
const invoke = vi.fn<E['ipcRenderer']['invoke']>();
const listeners = new Map<string, (...args: unknown[]) => void>();

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: vi.fn<E['contextBridge']['exposeInMainWorld']>((key, api) => void exposed.set(key, api)),
  },
  ipcRenderer: {
    invoke,
    on: vi.fn((channel: string, l: (...args: unknown[]) => void) => void listeners.set(channel, l)),
    removeListener: vi.fn((channel: string) => void listeners.delete(channel)),
  },
}));

await import('./index.ts');
const app = exposed.get('app') as AppApi;

describe('preload', () => {
  beforeEach(() => invoke.mockReset());

  it('exposes only the domain API as window.app, no IPC primitives', () => {
    expect([...exposed.keys()]).toEqual(['app']);
    expect(Object.keys(app).sort()).toEqual(['activity', 'admin', 'alertRules', 'deployment', 'mutes', 'notifications', 'on', 'platform', 'preferences', 'session', 'settings', 'state', 'windows', 'workspace']);
    expect(JSON.stringify(Object.keys(app))).not.toMatch(/ipc|invoke|send/i);
  });

  it('maps domain calls to the typed channels', async () => {
    invoke.mockResolvedValue({ id: 'n1' });
    await app.notifications.update('n1', { read: true });
    expect(invoke).toHaveBeenLastCalledWith('notifications:update', { id: 'n1', read: true });
    await app.windows.open('activity', 'type=job.failed');
    expect(invoke).toHaveBeenLastCalledWith('window:open', { name: 'activity', query: 'type=job.failed' });
    await app.admin.users('ws-1');
    expect(invoke).toHaveBeenLastCalledWith('admin:users', { workspaceId: 'ws-1' });
    await app.workspace.members();
    expect(invoke).toHaveBeenLastCalledWith('workspace:members', undefined);
  });

  it('turns IPC errors back into coded errors', async () => {
    invoke.mockImplementationOnce(() =>
      Promise.reject(new Error("Error invoking remote method 'admin:activity': Error: [forbidden] Only super admins can see all workspaces.")),
    );
    const err = (await app.admin.activity({}).catch((e: unknown) => e)) as { code?: string; message?: string };
    expect({ code: err.code, message: err.message }).toEqual({ code: 'forbidden', message: 'Only super admins can see all workspaces.' });
  });

  it('subscriptions hand over the payload only (not the IPC event) and can be removed', () => {
    const cb = vi.fn();
    const off = app.on.state(cb);
    listeners.get('app:state')?.({ sender: 'event object' }, { connection: 'online', unread: { count: 1, by_workspace: {} } });
    expect(cb).toHaveBeenCalledWith({ connection: 'online', unread: { count: 1, by_workspace: {} } });
    off();
    expect(listeners.has('app:state')).toBe(false);
  });
});
