import { beforeEach, describe, expect, it, vi } from 'vitest';
import { notification, page } from '../../testing/fixtures.ts';
import type { NotificationItem, Page } from '../../shared/types.ts';

const list = vi.fn<(q: object) => Promise<Page<NotificationItem>>>();
const update = vi.fn<(id: string, change: object) => Promise<NotificationItem>>();
const bulk = vi.fn<(req: object) => Promise<{ updated: number; undo_token: string | null }>>();
const undoBulk = vi.fn<(token: string) => Promise<{ restored: number }>>();
vi.mock('../platform/index.ts', () => ({
  platform: {
    notifications: {
      list,
      update,
      bulk,
      undoBulk,
      markAllRead: vi.fn(async () => ({ updated: 1, undo_token: 'mark-all' })),
      open: vi.fn(async () => ({ opened: 'external' })),
    },
  },
  errorMessage: (e: unknown) => String((e as Error).message ?? e),
}));
const { useNotificationsStore } = await import('./notifications.ts');
const { useSessionStore } = await import('./session.ts');

describe('notifications store', () => {
  beforeEach(() => {
    useNotificationsStore.getState().reset();
    list.mockReset();
    update.mockReset();
    bulk.mockReset();
    undoBulk.mockReset();
  });

  it('puts a live notification on top, once', async () => {
    const old = notification();
    list.mockResolvedValue(page([old]));
    await useNotificationsStore.getState().load();
    const fresh = notification();
    const s = useNotificationsStore.getState();
    s.applyEvent({ type: 'notification.created', id: '1', data: fresh });
    s.applyEvent({ type: 'notification.created', id: '1', data: fresh });
    expect(useNotificationsStore.getState().items.map((n) => n.id)).toEqual([fresh.id, old.id]);
  });

  it('Unread leaves out what another admin claimed, as the count does; a claim while listed keeps the row still', async () => {
    useSessionStore.setState({ session: { serverUrl: 'http://server.test', me: { id: 'u-me' } as never, restoring: false } });
    const listed = notification({ user_id: null });
    list.mockResolvedValue(page([listed]));
    await useNotificationsStore.getState().setFilter('unread');
    const s = useNotificationsStore.getState();
    const claimedByOtto = notification({ user_id: null, claimed_by: { id: 'u-otto', name: 'Otto' }, claimed_at: '2026-12-07T10:00:00.000Z' });
    const claimedByMe = notification({ user_id: null, claimed_by: { id: 'u-me', name: 'Me' }, claimed_at: '2026-12-07T10:00:00.000Z' });
    s.applyEvent({ type: 'notification.created', id: '1', data: claimedByOtto });
    s.applyEvent({ type: 'notification.created', id: '2', data: claimedByMe });
    expect(useNotificationsStore.getState().items.map((n) => n.id)).toEqual([claimedByMe.id, listed.id]);
    // Claimed elsewhere while on screen: it stays where it is, showing the claim, until the list reloads.
    s.applyEvent({ type: 'notification.updated', id: '3', data: { id: listed.id, workspace_id: listed.workspace_id, claimed_by: { id: 'u-otto', name: 'Otto' }, claimed_at: '2026-12-07T10:01:00.000Z' } as never });
    expect(useNotificationsStore.getState().items.map((n) => [n.id, n.claimed_by?.name ?? null])).toEqual([
      [claimedByMe.id, 'Me'],
      [listed.id, 'Otto'],
    ]);
  });

  it('a clicked toast: its notification is requested in the whole Inbox, reloaded when a tab or filter hides it or it is not listed yet', async () => {
    const a = notification();
    list.mockResolvedValue(page([a]));
    await useNotificationsStore.getState().setFilter('unread');
    await useNotificationsStore.getState().setType('job_failed');
    list.mockClear();
    const fresh = notification();
    list.mockResolvedValue(page([fresh, a]));
    useNotificationsStore.getState().focus(fresh.id, true);
    let s = useNotificationsStore.getState();
    expect({ filter: s.filter, type: s.type, detailId: s.detailId, focus: s.focusRequest }).toEqual({ filter: 'all', type: null, detailId: fresh.id, focus: { id: fresh.id, seq: 1 } });
    await vi.waitFor(() => expect(useNotificationsStore.getState().items.map((n) => n.id)).toEqual([fresh.id, a.id]));
    expect(list).toHaveBeenCalledTimes(1);
    expect(list.mock.calls[0]![0]).not.toHaveProperty('type', 'job_failed');

    // Already listed in the Inbox: no reload, a new request (the page scrolls to it again).
    useNotificationsStore.getState().focus(a.id, false);
    s = useNotificationsStore.getState();
    expect({ detailId: s.detailId, focus: s.focusRequest }).toEqual({ detailId: null, focus: { id: a.id, seq: 2 } });
    expect(list).toHaveBeenCalledTimes(1);
  });

  it('does not show a page that was on its way while everything was marked read: it asks again', async () => {
    const unread = notification({ read_at: null });
    let answer!: (p: Page<NotificationItem>) => void;
    list.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    const loading = useNotificationsStore.getState().load();
    await useNotificationsStore.getState().markAllRead();
    const read = { ...unread, read_at: '2026-11-26T10:00:00.000Z' };
    list.mockResolvedValueOnce(page([read]));
    answer(page([unread])); // the state from before "Mark all as read"
    await loading;
    expect(list).toHaveBeenCalledTimes(2);
    expect(useNotificationsStore.getState().items).toEqual([read]);
  });

  it('applies read/archive changes made elsewhere (another window, the web app)', async () => {
    const a = notification();
    const b = notification();
    list.mockResolvedValue(page([a, b]));
    await useNotificationsStore.getState().load();
    const at = '2026-11-26T10:00:00.000Z';
    useNotificationsStore.getState().applyEvent({ type: 'notification.updated', id: '2', data: { id: a.id, read_at: at, archived_at: null, seen_at: at, snoozed_until: null } });
    useNotificationsStore.getState().applyEvent({ type: 'notification.updated', id: '3', data: { id: b.id, read_at: null, archived_at: at, seen_at: null, snoozed_until: null } });
    expect(useNotificationsStore.getState().items).toEqual([{ ...a, read_at: at, seen_at: at }]);
  });

  it('moves a notification a repeat collapsed into to the top, with its new text', async () => {
    const a = notification();
    const b = notification({ type: 'reply_received', title: 'New reply received' });
    list.mockResolvedValue(page([a, b]));
    await useNotificationsStore.getState().load();
    const collapsed = { ...b, title: '3 new replies from Northwind', meta: { count: 3 } };
    useNotificationsStore.getState().applyEvent({ type: 'notification.updated', id: '4', data: collapsed });
    expect(useNotificationsStore.getState().items.map((n) => [n.id, n.title])).toEqual([
      [b.id, '3 new replies from Northwind'],
      [a.id, a.title],
    ]);
  });

  it('reloads the list on resync', async () => {
    list.mockResolvedValue(page([]));
    useNotificationsStore.getState().applyEvent({ type: 'resync', id: '9', data: {} });
    await vi.waitFor(() => expect(list).toHaveBeenCalledTimes(1));
  });

  it('puts an archived item back, with the server\'s reason, only when the server refuses', async () => {
    const a = notification();
    list.mockResolvedValue(page([a]));
    await useNotificationsStore.getState().load();
    bulk.mockRejectedValueOnce(Object.assign(new Error('No such notification.'), { code: 'not_found' }));
    await useNotificationsStore.getState().archive(a.id);
    expect(useNotificationsStore.getState().items).toEqual([a]);
    expect(useNotificationsStore.getState().notice).toMatchObject({ kind: 'error', text: "Couldn't archive it: No such notification." });
    expect(useNotificationsStore.getState().pending).toEqual([]);
  });

  it('keeps a change made offline, queues it and sends it on reconnect', async () => {
    const a = notification();
    list.mockResolvedValue(page([a]));
    await useNotificationsStore.getState().load();
    update.mockRejectedValueOnce(Object.assign(new Error('The server could not be reached.'), { code: 'network_error' }));
    await useNotificationsStore.getState().setRead(a.id, true);
    // Shown read at once, and not lost.
    expect(useNotificationsStore.getState().items[0]!.read_at).not.toBeNull();
    expect(useNotificationsStore.getState().pending).toEqual([{ id: a.id, change: { read: true } }]);
    expect(useNotificationsStore.getState().notice?.kind).toBe('info');

    const readAt = '2026-11-30T12:00:00.000Z';
    update.mockResolvedValueOnce({ ...a, read_at: readAt, seen_at: readAt });
    await useNotificationsStore.getState().flushPending();
    expect(update).toHaveBeenLastCalledWith(a.id, { read: true });
    expect(useNotificationsStore.getState().pending).toEqual([]);
    expect(useNotificationsStore.getState().items[0]!.read_at).toBe(readAt);
  });

  it('offers Undo after archiving, which brings the item back', async () => {
    const a = notification();
    list.mockResolvedValue(page([a]));
    await useNotificationsStore.getState().load();
    bulk.mockResolvedValueOnce({ updated: 1, undo_token: 'tok' });
    undoBulk.mockResolvedValueOnce({ restored: 1 });
    await useNotificationsStore.getState().archive(a.id);
    expect(bulk).toHaveBeenLastCalledWith({ action: 'archive', ids: [a.id] });
    expect(useNotificationsStore.getState().items).toEqual([]);
    const notice = useNotificationsStore.getState().notice!;
    expect(notice.text).toBe('Archived 1 notification.');
    notice.undo!();
    // Back in the list at once, and the server takes the change back by its token.
    expect(useNotificationsStore.getState().items).toEqual([a]);
    await vi.waitFor(() => expect(undoBulk).toHaveBeenLastCalledWith('tok'));
  });

  it('appends the next page by cursor without duplicates', async () => {
    const a = notification();
    const b = notification();
    list.mockResolvedValueOnce(page([a], 'c1')).mockResolvedValueOnce(page([a, b]));
    await useNotificationsStore.getState().load();
    await useNotificationsStore.getState().loadMore();
    expect(list).toHaveBeenLastCalledWith(expect.objectContaining({ cursor: 'c1' }));
    expect(useNotificationsStore.getState().items.map((n) => n.id)).toEqual([a.id, b.id]);
    expect(useNotificationsStore.getState().nextCursor).toBeNull();
  });
});
