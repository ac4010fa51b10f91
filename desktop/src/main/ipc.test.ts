import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../shared/api-client.ts';
import { decodeIpcError } from '../shared/ipc.ts';
import { testHooks, withFakeApi } from '../testing/fake-api-server.ts';
import { me } from '../testing/fixtures.ts';
import { invokeAs, resetElectronFake } from '../testing/electron-fake.ts';

vi.mock('electron', async () => (await import('../testing/electron-fake.ts')).electronFake);
const { handle, setIpcLog } = await import('./ipc.ts');
const { registerActivityHandlers } = await import('./handlers/activity.ts');

const APP = 'app://bundle/index.html#/bell';

describe('typed IPC handlers', () => {
  beforeEach(() => resetElectronFake());

  it('answers the app\'s own pages', async () => {
    handle('settings:get', () => ({ serverUrl: 'x' }) as never);
    await expect(invokeAs(APP, 'settings:get')).resolves.toEqual({ serverUrl: 'x' });
  });

  it.each([
    ['a remote page', 'https://evil.test/'],
    ['a look-alike host', 'app://bundle.evil/index.html'],
    ['a file page', 'file:///tmp/x.html'],
    ['no frame', null],
  ])('refuses %s, without running the handler', async (_what, url) => {
    const handler = vi.fn();
    const log = vi.fn();
    handle('settings:get', handler, log);
    await expect(invokeAs(url, 'settings:get')).rejects.toThrow(/forbidden/);
    expect(handler).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalled();
  });

  it('reports refusals to the app\'s log (setIpcLog) when the handler names none', async () => {
    const log = vi.fn();
    setIpcLog(log);
    handle('settings:get', vi.fn());
    await expect(invokeAs('https://evil.test/', 'settings:get')).rejects.toThrow(/forbidden/);
    expect(log).toHaveBeenCalledWith('IPC settings:get refused: untrusted sender https://evil.test/');
  });

  it('carries the API error code to the renderer', async () => {
    handle('notifications:update', () => {
      throw new ApiError(404, 'not_found', 'No such notification.');
    });
    const err = (await invokeAs(APP, 'notifications:update', { id: 'x' }).catch((e: Error) => e)) as Error;
    expect(decodeIpcError(`Error invoking remote method 'notifications:update': Error: ${err.message}`)).toEqual({
      code: 'not_found',
      message: 'No such notification.',
    });
  });
});

describe('admin IPC channels', () => {
  beforeEach(() => resetElectronFake());
  const api = withFakeApi();

  /** The real session, signed in as `user` through a stored token. */
  async function signedInAs(user: ReturnType<typeof me>) {
    api.srv.user = user;
    const { h } = testHooks(api.base);
    h.tokens.save('tok-1');
    const { session } = api.create({ tokens: h.tokens });
    await session.start();
    return session;
  }

  it('refuses every admin channel to a member, before any request is made', async () => {
    registerActivityHandlers({ session: await signedInAs(me()) });
    for (const ch of ['admin:activity', 'admin:workspaces', 'admin:users', 'admin:critical-events']) {
      await expect(invokeAs(APP, ch, {})).rejects.toThrow(/\[forbidden\]/);
    }
    expect(api.srv.requests.filter((r) => r.includes('/api/admin/'))).toEqual([]);
    await expect(invokeAs(APP, 'activity:list', {})).resolves.toEqual({ items: [], page: 1, page_size: 20, next_cursor: null });
  });

  it('serves them to a super admin', async () => {
    registerActivityHandlers({ session: await signedInAs(me({ is_super_admin: true })) });
    await invokeAs(APP, 'admin:activity', { workspace_id: 'w' });
    expect(api.srv.requests).toContain('GET /api/admin/activity');
  });
});
