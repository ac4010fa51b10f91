import { describe, expect, it } from 'vitest';
import { until, withFakeApi } from '../testing/fake-api-server.ts';
import { notification } from '../testing/fixtures.ts';

describe('NotificationActions against an HTTP server', () => {
  const api = withFakeApi();

  it('marks read and opens the target on the web app origin; refuses and logs a foreign target', async () => {
    const { h, notifications, live } = await api.login();
    await until(() => live.state.unread.count === 1);
    const first = api.srv.notifications[0]!;
    expect(await notifications.open(first.id)).toEqual({ opened: 'external' });
    expect(first.read_at).not.toBeNull();
    expect(h.openInBrowser).toHaveBeenCalledWith('https://app.acme.test/leads/1');
    await until(() => live.state.unread.count === 0); // the count follows from the server

    const evil = notification({ target_url: 'https://evil.test/phish' });
    api.srv.notifications.push(evil);
    expect(await notifications.open(evil.id)).toEqual({ opened: 'refused' });
    expect(h.openInBrowser).toHaveBeenCalledTimes(1);
    expect(h.log.warn).toHaveBeenCalledWith('refused to open notification target', expect.objectContaining({ target: 'https://evil.test/phish' }));
  });

  it('a clicked toast: a link lands and nothing more; an item without one is to be shown in place; one that cannot be opened, in the list', async () => {
    const { h, notifications } = await api.login();
    const linked = api.srv.notifications[0]!;
    expect(await notifications.openFromToast(linked.id)).toBeNull();
    expect(h.openInBrowser).toHaveBeenCalledWith('https://app.acme.test/leads/1');

    const plain = notification({ target_url: null });
    api.srv.notifications.push(plain);
    expect(await notifications.openFromToast(plain.id)).toEqual({ id: plain.id, detail: true });
    expect(plain.read_at).not.toBeNull();

    const gone = notification();
    expect(await notifications.openFromToast(gone.id)).toEqual({ id: gone.id, detail: false });
    expect(h.log.warn).toHaveBeenCalledWith('could not open the notification of a toast', expect.objectContaining({ id: gone.id }));
    expect(h.openInBrowser).toHaveBeenCalledTimes(1);
  });

  it('refuses changes while signed out', async () => {
    const { notifications } = api.create();
    await expect(notifications.markAllRead()).rejects.toMatchObject({ status: 401 });
    expect(api.srv.requests).toEqual([]);
  });
});
