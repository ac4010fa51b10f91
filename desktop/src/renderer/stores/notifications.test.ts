import { beforeEach, describe, expect, it, vi } from 'vitest';
import { notification, page } from '../../testing/fixtures.ts';
import type { NotificationItem, Page } from '../../shared/types.ts';

const list = vi.fn<(q: object) => Promise<Page<NotificationItem>>>();
const update = vi.fn<(id: string, change: object) => Promise<NotificationItem>>();
vi.mock('../platform/index.ts', () => ({
  platform: { notifications: { list, update, markAllRead: vi.fn(async () => ({ updated: 1 })), open: vi.fn(async () => ({ opened: 'external' })) } },
  errorMessage: (e: unknown) => String((e as Error).message ?? e),
}));
const { useNotificationsStore } = await import('./notifications.ts');

describe('notifications store', () => {
  beforeEach(() => {
    useNotificationsStore.getState().reset();
    list.mockReset();
    update.mockReset();
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

  it('puts an archived item back when the server refuses', async () => {
    const a = notification();
    list.mockResolvedValue(page([a]));
    await useNotificationsStore.getState().load();
    update.mockRejectedValueOnce(new Error('The server could not be reached.'));
    await useNotificationsStore.getState().archive(a.id);
    expect(useNotificationsStore.getState().items).toEqual([a]);
    expect(useNotificationsStore.getState().error).toBe('The server could not be reached.');
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
