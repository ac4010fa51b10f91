import { randomUUID } from 'node:crypto';
import { expect, spies, test } from './support/fixtures.ts';

// The client half of live updates, against a scripted stream in the browser (the server's own
// stream and the badge are exercised by bell.spec.ts): events update the list, raise a Web
// Notification with a sound, and the reconnect resumes with Last-Event-ID.
test('live events from the stream update the bell and alert; reconnect resumes after the last id', async ({ page, loginAs }) => {
  const api = await loginAs('rep@acme.test');
  const me = (await api.get<{ current_workspace: { id: string } }>('/api/me')).body;
  const n = {
    id: randomUUID(),
    workspace_id: me.current_workspace.id,
    user_id: null,
    type: 'job_failed',
    title: 'Import job failed (scripted)',
    body: 'CSV import stopped at row 12',
    target_url: '/jobs/12',
    meta: {},
    read_at: null,
    archived_at: null,
    seen_at: null,
    snoozed_until: null,
    reason: 'You are an admin of Acme Sales',
    created_at: new Date().toISOString(),
  };
  const lastEventIds: Array<string | null> = [];
  await page.route('**/api/notifications/stream**', async (route) => {
    const lastEventId = route.request().headers()['last-event-id'] ?? null;
    lastEventIds.push(lastEventId);
    const sse = (body: string) => route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream' }, body });
    // A first stream makes the page refetch its list (the real server's, without the scripted
    // item), so the event comes on the resumed one, after the list is shown.
    if (lastEventId === null) return sse('id: 76\nevent: hello\ndata: {}\n\n');
    if (lastEventId !== '76') return sse(': idle\n\n');
    await page.getByTestId('notification').first().waitFor();
    await sse(`id: 77\nevent: notification.created\ndata: ${JSON.stringify(n)}\n\n`);
  });
  await page.goto('/#/bell');

  await expect(page.getByTestId('notification').first()).toContainText('Import job failed (scripted)');
  // The badge follows the server's unseen count, which a scripted event is not in: bell.spec.ts
  // checks the badge against the real server.
  await expect.poll(async () => (await spies(page)).notifications).toContainEqual({ title: n.title, body: 'Acme Sales · CSV import stopped at row 12' });
  await expect.poll(async () => (await spies(page)).sounds.some((s) => s.endsWith('/sounds/alert.wav'))).toBe(true);
  // The scripted response ended; the client reconnects after a backoff and resumes after event 77,
  // backing off further while the (scripted) server keeps closing at once: no reconnect storm.
  await expect.poll(() => lastEventIds.slice(0, 3), { timeout: 15_000 }).toEqual([null, '76', '77']);
  await page.waitForTimeout(4_000);
  expect(lastEventIds.length).toBeLessThanOrEqual(5);
  expect(new Set(lastEventIds.slice(2))).toEqual(new Set(['77']));
});
