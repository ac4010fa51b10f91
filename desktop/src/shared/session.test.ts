import { describe, expect, it, vi } from 'vitest';
import { fakeApiServer, testHooks, until, withFakeApi } from '../testing/fake-api-server.ts';
import { me as meFixture } from '../testing/fixtures.ts';
import { createAppService } from './app-service.ts';

describe('AppSession against an HTTP server', () => {
  const api = withFakeApi();

  it('logs in, stores the token, goes online with the unread count', async () => {
    const { session, live, token } = await api.login();
    expect(session.snapshot.me?.email).toBe('rep@acme.test');
    expect(token()).toBe('tok-1');
    await until(() => live.state.connection === 'online');
    expect(live.state.unread.count).toBe(1);
  });

  it("rejects a wrong password with the server's message and stores nothing", async () => {
    const { session, token } = api.create();
    await expect(session.login({ serverUrl: api.base, email: 'rep@acme.test', password: 'wrong' })).rejects.toMatchObject({
      status: 401,
      message: 'Wrong email or password.',
    });
    expect(token()).toBeNull();
  });

  it('refuses calls on the user\'s behalf while signed out, without asking the server', () => {
    const { session } = api.create();
    expect(() => session.signedInApi()).toThrow(expect.objectContaining({ status: 401 }));
    expect(api.srv.requests).toEqual([]);
  });

  it('refuses the admin API to a user who is not a super admin, without asking the server', async () => {
    const { session } = await api.login();
    expect(() => session.superAdminApi()).toThrow(/super admins/);
    expect(api.srv.requests.filter((r) => r.includes('/api/admin/'))).toEqual([]);
  });

  it('signs out when the server revokes the token', async () => {
    const { session, live, token, h } = await api.login();
    api.srv.revoke();
    await expect(session.signedInApi().listNotifications({})).rejects.toMatchObject({ status: 401 });
    expect(token()).toBeNull();
    expect(session.snapshot.me).toBeNull();
    expect(live.state.connection).toBe('signed-out');
    expect(h.onSession).toHaveBeenLastCalledWith(expect.objectContaining({ me: null }));
  });

  it('restores a stored session at start', async () => {
    const { h } = testHooks(api.base);
    h.tokens.save('tok-1');
    const { session } = api.create({ tokens: h.tokens });
    const s = await session.start();
    expect(s.me?.name).toBe('Rita Rep');
  });
});

describe('AppSession offline at start', () => {
  it('keeps the stored session while the server is unreachable and loads the account once it answers', async () => {
    const srv = fakeApiServer(meFixture());
    const base = await srv.listen();
    await srv.close(); // nothing listens there now
    const { h } = testHooks(base);
    h.tokens.save('tok-1');
    const { session, live } = createAppService(h);
    try {
      const s = await session.start();
      expect(s).toMatchObject({ me: null, restoring: true });
      expect(h.tokens.load()).toBe('tok-1');
      await vi.waitFor(() => expect(live.state.connection).toBe('offline'), { timeout: 3000 });

      // The server comes back on the same port: the stream reconnects and the account loads.
      const port = Number(new URL(base).port);
      const again = fakeApiServer(meFixture());
      await new Promise<void>((r) => again.server.listen(port, '127.0.0.1', r));
      try {
        live.resume();
        await vi.waitFor(() => expect(session.snapshot).toMatchObject({ me: { name: 'Rita Rep' }, restoring: false }), { timeout: 5000 });
        expect(h.onSession).toHaveBeenLastCalledWith(expect.objectContaining({ restoring: false }));
      } finally {
        live.stop();
        await again.close();
      }
    } finally {
      live.stop();
    }
  });
});
