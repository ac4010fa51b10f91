import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotification } from '../../../../src/services/notifications/create-notification.ts';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';

// A workspace's notification defaults for its members, and locks: who may set them, what
// members see, what a lock refuses (400 naming it), and that members' own choices survive.
let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const name of ['acmeAdmin', 'acmeAdmin2', 'acmeMember', 'globexAdmin', 'globexMember', 'superAdmin'] as const) {
    tokens[name] = await api.login(world.users[name].email);
  }
});
afterAll(async () => {
  await server?.close();
});

const on = (sound: boolean, email: boolean) => ({ in_app: true, desktop: true, sound, email });
const preferences = async (as: string) => (await api.get('/api/notification-preferences', tokens[as])).body;
/** The member's own full preferences body, with `types` replaced. */
const preferencesBody = async (as: string, types: Record<string, unknown>) => {
  const { muted, quiet_hours } = await preferences(as);
  return { muted, quiet_hours, types };
};

describe('GET/PUT /api/workspace/notification-defaults', () => {
  it('starts at the built-in defaults for the workspace types only', async () => {
    const response = await api.get('/api/workspace/notification-defaults', tokens.acmeMember);
    expect(response.status).toBe(200);
    expect(response.body.updated_at).toBeNull();
    expect(response.body.types.task_assigned).toEqual({ ...on(true, false), locked: false, locked_by: null });
    expect(response.body.types.job_failed).toEqual({ ...on(true, true), locked: false, locked_by: null });
    expect(Object.keys(response.body.types).some((type) => type.startsWith('critical_'))).toBe(false);
  });

  it('admins only: members and other workspaces are refused and change nothing; bad input is a 400', async () => {
    const body = { types: { task_assigned: { ...on(false, true), locked: true } } };
    expect((await api.put('/api/workspace/notification-defaults', body, tokens.acmeMember)).status).toBe(403);
    expect((await api.put('/api/workspace/notification-defaults', body, undefined)).status).toBe(401);
    const refused = [
      { types: { task_assigned: { ...on(true, true), in_app: false, locked: true } } },
      { types: { critical_other: on(true, true) } },
      { types: { task_assigned: { in_app: true } } },
      { types: { nope: on(true, true) } },
      {},
    ];
    for (const input of refused) {
      const response = await api.put('/api/workspace/notification-defaults', input, tokens.acmeAdmin);
      expect(response.status, JSON.stringify(input)).toBe(400);
      expect(typeof response.body.message).toBe('string');
    }
    const locked = await api.put('/api/workspace/notification-defaults', { types: { task_assigned: { ...on(true, true), desktop: false, locked: true } } }, tokens.acmeAdmin);
    expect(locked.body.error).toBe('lock_needs_on');
    expect((await api.get('/api/workspace/notification-defaults', tokens.acmeAdmin)).body.updated_at).toBeNull();
    expect(await server.db.activity.count({ where: { type: 'workspace.notification_defaults_changed' } })).toBe(0);
  });

  it('a lock: members see it and who set it; turning it off or muting it is refused naming the lock; another workspace is untouched', async () => {
    const saved = await api.put(
      '/api/workspace/notification-defaults',
      { types: { task_assigned: { ...on(false, true), locked: true }, task_completed: on(false, true) } },
      tokens.acmeAdmin,
    );
    expect(saved.status).toBe(200);
    expect(saved.body.types.task_assigned).toEqual({ ...on(false, true), locked: true, locked_by: { id: world.users.acmeAdmin.id, name: 'acme-admin' } });
    expect(saved.body.updated_by).toEqual({ id: world.users.acmeAdmin.id, name: 'acme-admin' });

    // The member: the workspace's defaults where they chose nothing, and the lock named.
    const mine = await preferences('acmeMember');
    expect(mine.types.task_assigned).toEqual(on(false, true));
    expect(mine.types.task_completed).toEqual(on(false, true));
    expect(mine.locks).toEqual({
      task_assigned: { workspace_id: world.acme.id, workspace_name: 'Acme', locked_by: { id: world.users.acmeAdmin.id, name: 'acme-admin' } },
    });

    // Turning the locked type off in-app or on the desktop: 400 naming the lock, nothing saved.
    for (const channels of [{ ...on(true, false), in_app: false }, { ...on(true, false), desktop: false }]) {
      const refused = await api.put('/api/notification-preferences', await preferencesBody('acmeMember', { task_assigned: channels }), tokens.acmeMember);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('type_locked');
      expect(refused.body.message).toContain('acme-admin');
      expect(refused.body.message).toContain('Acme');
      expect(refused.body.message).toContain('Task assigned to you');
    }
    expect(await server.db.notificationPreference.count({ where: { userId: world.users.acmeMember.id } })).toBe(0);
    // Sound and email of a locked type stay the member's to choose.
    const quieter = await api.put('/api/notification-preferences', await preferencesBody('acmeMember', { task_assigned: on(false, false) }), tokens.acmeMember);
    expect(quieter.status).toBe(200);
    expect(quieter.body.types.task_assigned).toEqual(on(false, false));

    // Muting the locked type from one of its notifications: refused the same way, no mute made.
    const { notification } = await createNotification(server.db, { workspaceId: world.acme.id, userId: world.users.acmeMember.id, type: 'task_assigned', title: 'Call Ada' });
    const mute = await api.post(`/api/notifications/${notification.id}/mute`, { scope: 'type' }, tokens.acmeMember);
    expect(mute.status).toBe(400);
    expect(mute.body.error).toBe('type_locked');
    expect(mute.body.message).toContain('acme-admin');
    expect(await server.db.notificationMute.count({ where: { userId: world.users.acmeMember.id } })).toBe(0);

    // Globex: its own defaults, no lock.
    expect((await api.get('/api/workspace/notification-defaults', tokens.globexAdmin)).body.types.task_assigned.locked).toBe(false);
    expect((await preferences('globexMember')).locks).toEqual({});
    expect((await api.put('/api/notification-preferences', await preferencesBody('globexMember', { task_assigned: { ...on(true, false), in_app: false } }), tokens.globexMember)).status).toBe(200);

    // In the activity log, for the admins.
    const log = (await api.get('/api/activity?type=workspace.notification_defaults_changed', tokens.acmeAdmin2)).body.items;
    expect(log).toHaveLength(1);
    expect(log[0].summary).toContain('locked Task assigned to you');
  });

  it('a lock beats a member\'s earlier "off" and mute: the locked type still reaches them', async () => {
    // Both were set before the lock; the lock does not rewrite them, it overrides them.
    await api.put('/api/workspace/notification-defaults', { types: {} }, tokens.acmeAdmin);
    const { notification: first } = await createNotification(server.db, { workspaceId: world.acme.id, userId: world.users.acmeMember.id, type: 'reply_received', title: 'Reply 1' });
    expect((await api.post(`/api/notifications/${first.id}/mute`, { scope: 'type' }, tokens.acmeMember)).status).toBe(200);
    const off = await api.put('/api/notification-preferences', await preferencesBody('acmeMember', { reply_received: { ...on(true, false), in_app: false, desktop: false } }), tokens.acmeMember);
    expect(off.status).toBe(200);

    const { recipients: before } = await createNotification(server.db, { workspaceId: world.acme.id, userId: world.users.acmeMember.id, type: 'reply_received', title: 'Reply 2' });
    expect(before).toEqual([]);
    await api.put('/api/workspace/notification-defaults', { types: { reply_received: { ...on(true, false), locked: true } } }, tokens.acmeAdmin2);
    const { recipients: after } = await createNotification(server.db, { workspaceId: world.acme.id, userId: world.users.acmeMember.id, type: 'reply_received', title: 'Reply 3' });
    expect(after).toEqual([world.users.acmeMember.id]);
    const mine = await preferences('acmeMember');
    expect(mine.types.reply_received).toMatchObject({ in_app: true, desktop: true });
    expect(mine.locks.reply_received.locked_by).toEqual({ id: world.users.acmeAdmin2.id, name: 'acme-admin2' });
    // The member's own choice is still stored: unlocking gives it back.
    await api.put('/api/workspace/notification-defaults', { types: {} }, tokens.acmeAdmin);
    expect((await preferences('acmeMember')).types.reply_received).toMatchObject({ in_app: false, desktop: false });
  });

  it("changing the defaults does not overwrite a member's own choices on unlocked types", async () => {
    const own = await api.put('/api/notification-preferences', await preferencesBody('acmeMember', { campaign_outcome: on(true, true) }), tokens.acmeMember);
    expect(own.status).toBe(200);
    await api.put('/api/workspace/notification-defaults', { types: { campaign_outcome: { ...on(false, false), desktop: false } } }, tokens.acmeAdmin);
    expect((await preferences('acmeMember')).types.campaign_outcome).toEqual(on(true, true));
    // A member who chose nothing follows the new default.
    expect((await preferences('acmeAdmin2')).types.campaign_outcome).toEqual({ ...on(false, false), desktop: false });
  });

  it('parallel saves of two admins: one of the two bodies wins whole, never a mix', async () => {
    const a = { types: { task_completed: on(true, true), playbook_completed: { ...on(false, false), locked: true } } };
    const b = { types: { task_completed: { ...on(false, false), desktop: false }, job_failed: { ...on(true, true), locked: true } } };
    const answers = await Promise.all([
      api.put('/api/workspace/notification-defaults', a, tokens.acmeAdmin),
      api.put('/api/workspace/notification-defaults', b, tokens.acmeAdmin2),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    const final = (await api.get('/api/workspace/notification-defaults', tokens.acmeAdmin)).body.types;
    const wonA = final.playbook_completed.locked;
    expect(final.job_failed.locked).toBe(!wonA);
    expect(final.task_completed).toMatchObject(wonA ? on(true, true) : { ...on(false, false), desktop: false });
  });
});
