import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session } from '../../shared/ipc.ts';
import { appError, errorMessage, fakePlatform } from '../../testing/fake-platform.ts';
import { me } from '../../testing/fixtures.ts';

const platform = fakePlatform();
vi.mock('../platform/index.ts', () => ({ platform, errorMessage }));
const { useSessionStore } = await import('./session.ts');

const signedIn: Session = { serverUrl: 'http://server.test', me: me(), restoring: false };
const signedOut: Session = { serverUrl: 'http://server.test', me: null, restoring: false };

describe('session store', () => {
  beforeEach(() => {
    useSessionStore.getState().reset();
    for (const fn of Object.values(platform.session)) fn.mockReset();
  });

  it('is loading until the platform says who is signed in', async () => {
    expect(useSessionStore.getState()).toMatchObject({ session: null, loading: true });
    platform.session.get.mockResolvedValue(signedIn);
    await useSessionStore.getState().load();
    expect(useSessionStore.getState()).toMatchObject({ session: { me: { email: 'rep@acme.test' } }, loading: false, error: null });
  });

  it('stops loading and keeps the error when the session cannot be read', async () => {
    platform.session.get.mockRejectedValue(new Error('main process gone'));
    await useSessionStore.getState().load();
    expect(useSessionStore.getState()).toMatchObject({ session: null, loading: false, error: 'main process gone' });
  });

  it('logs in: true and the new session, or false with the server\'s message and no session', async () => {
    platform.session.login.mockRejectedValueOnce(appError('invalid_credentials', 'Wrong email or password.'));
    const req = { serverUrl: 'http://server.test', email: 'rep@acme.test', password: 'nope' };
    expect(await useSessionStore.getState().login(req)).toBe(false);
    expect(useSessionStore.getState()).toMatchObject({ session: null, error: 'Wrong email or password.' });

    platform.session.login.mockResolvedValueOnce(signedIn);
    expect(await useSessionStore.getState().login({ ...req, password: 'right' })).toBe(true);
    expect(useSessionStore.getState()).toMatchObject({ session: signedIn, error: null, loading: false });
    expect(platform.session.login).toHaveBeenLastCalledWith({ ...req, password: 'right' });
  });

  it('logs out to the session the platform answers', async () => {
    useSessionStore.getState().set(signedIn);
    platform.session.logout.mockResolvedValue(signedOut);
    await useSessionStore.getState().logout();
    expect(useSessionStore.getState().session?.me).toBeNull();
  });

  it('switches workspace, and keeps the current one with the reason when refused', async () => {
    useSessionStore.getState().set(signedIn);
    platform.session.switchWorkspace.mockRejectedValueOnce(appError('forbidden', 'You are not a member of that workspace.'));
    await useSessionStore.getState().switchWorkspace('ws-other');
    expect(useSessionStore.getState()).toMatchObject({ session: signedIn, error: 'You are not a member of that workspace.' });

    const globex = me({ current_workspace: { id: 'ws-globex', name: 'Globex', role: 'admin' } });
    platform.session.switchWorkspace.mockResolvedValueOnce({ ...signedIn, me: globex });
    await useSessionStore.getState().switchWorkspace('ws-globex');
    expect(platform.session.switchWorkspace).toHaveBeenLastCalledWith('ws-globex');
    expect(useSessionStore.getState()).toMatchObject({ session: { me: { current_workspace: { name: 'Globex' } } }, error: null });
  });
});
