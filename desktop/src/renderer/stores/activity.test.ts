import { beforeEach, describe, expect, it, vi } from 'vitest';
import { appError, errorMessage, fakePlatform } from '../../testing/fake-platform.ts';
import { activity, page } from '../../testing/fixtures.ts';

const platform = fakePlatform();
vi.mock('../platform/index.ts', () => ({ platform, errorMessage }));
const { useActivityStore, useAdminActivityStore, useAdminRefsStore } = await import('./activity.ts');

const acme = { id: 'ws-acme', name: 'Acme Sales', member_count: 3 };
const ann = { id: 'u-ann', name: 'Ann Admin', email: 'ann@acme.test' };

describe('activity stores', () => {
  beforeEach(() => {
    for (const store of [useActivityStore, useAdminActivityStore, useAdminRefsStore]) store.getState().reset();
    for (const group of [platform.activity, platform.admin]) for (const fn of Object.values(group)) fn.mockReset();
  });

  it('the workspace feed asks the workspace API with its filters; the admin feed the admin API', async () => {
    platform.activity.list.mockResolvedValue(page([activity({ type: 'job.failed' })]));
    await useActivityStore.getState().setFilters({ type: 'job.failed' });
    expect(platform.activity.list).toHaveBeenCalledWith(expect.objectContaining({ type: 'job.failed' }));
    expect(useActivityStore.getState().items.map((a) => a.type)).toEqual(['job.failed']);
    expect(platform.admin.activity).not.toHaveBeenCalled();

    platform.admin.activity.mockResolvedValue(page([activity(), activity()]));
    await useAdminActivityStore.getState().setFilters({ workspace_id: 'ws-acme' });
    expect(platform.admin.activity).toHaveBeenCalledWith(expect.objectContaining({ workspace_id: 'ws-acme' }));
    expect(useAdminActivityStore.getState().items).toHaveLength(2);
    expect(useActivityStore.getState().items).toHaveLength(1); // separate feeds
  });

  it('loads the admin filter choices and the latest critical events', async () => {
    const critical = [activity({ severity: 'critical', type: 'job.failed' })];
    platform.admin.workspaces.mockResolvedValue({ items: [acme] });
    platform.admin.users.mockResolvedValue({ items: [ann] });
    platform.admin.criticalEvents.mockResolvedValue({ items: critical });
    await useAdminRefsStore.getState().load();
    expect(useAdminRefsStore.getState()).toMatchObject({ workspaces: [acme], users: [ann], critical, criticalError: null, forbidden: false });
    expect(platform.admin.criticalEvents).toHaveBeenCalledWith(8);

    platform.admin.users.mockResolvedValue({ items: [] });
    await useAdminRefsStore.getState().loadUsers('ws-empty');
    expect(platform.admin.users).toHaveBeenLastCalledWith('ws-empty');
    expect(useAdminRefsStore.getState().users).toEqual([]);
  });

  it('marks the window forbidden when the platform refuses a member', async () => {
    platform.admin.workspaces.mockRejectedValue(appError('forbidden', 'Only super admins can see all workspaces.'));
    platform.admin.users.mockRejectedValue(appError('forbidden', 'Only super admins can see all workspaces.'));
    platform.admin.criticalEvents.mockRejectedValue(appError('forbidden', 'Only super admins can see all workspaces.'));
    await useAdminRefsStore.getState().load();
    expect(useAdminRefsStore.getState()).toMatchObject({ forbidden: true, workspaces: [] });
  });

  it('a server without critical events: the widget says so, the filters still load', async () => {
    platform.admin.workspaces.mockResolvedValue({ items: [acme] });
    platform.admin.users.mockResolvedValue({ items: [ann] });
    platform.admin.criticalEvents.mockRejectedValue(appError('not_found', 'Route GET:/api/admin/critical-events not found'));
    await useAdminRefsStore.getState().load();
    expect(useAdminRefsStore.getState()).toMatchObject({
      workspaces: [acme],
      critical: [],
      criticalError: 'Critical events are not available on this server yet.',
      forbidden: false,
    });
  });
});
