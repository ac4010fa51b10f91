// A typed stand-in for the renderer's `platform` (the preload's AppApi) in store tests: every
// call fails unless the test gives it an answer, so no store reaches anything unplanned.
import { vi, type Mock } from 'vitest';
import type { AppApi } from '../shared/ipc.ts';

type Fake<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? Mock<(...args: A) => R> : Fake<T[K]> };

export type FakePlatform = Omit<Fake<AppApi>, 'platform'> & { platform: AppApi['platform'] };

function unplanned(name: string) {
  return vi.fn(async () => {
    throw new Error(`platform.${name} was called without an answer`);
  });
}

export function fakePlatform(): FakePlatform {
  const off = () => () => undefined;
  return {
    platform: 'web',
    session: { get: unplanned('session.get'), login: unplanned('session.login'), logout: unplanned('session.logout'), switchWorkspace: unplanned('session.switchWorkspace') },
    state: { get: unplanned('state.get') },
    notifications: { list: unplanned('notifications.list'), update: unplanned('notifications.update'), markAllRead: unplanned('notifications.markAllRead'), bulk: unplanned('notifications.bulk'), undoBulk: unplanned('notifications.undoBulk'), open: unplanned('notifications.open') },
    activity: { list: unplanned('activity.list'), export: unplanned('activity.export'), openTarget: unplanned('activity.openTarget') },
    workspace: {
      members: unplanned('workspace.members'),
      setMemberRole: unplanned('workspace.setMemberRole'),
      removeMember: unplanned('workspace.removeMember'),
      retention: unplanned('workspace.retention'),
      setRetention: unplanned('workspace.setRetention'),
      notificationDefaults: unplanned('workspace.notificationDefaults'),
      setNotificationDefaults: unplanned('workspace.setNotificationDefaults'),
      escalations: unplanned('workspace.escalations'),
      setEscalations: unplanned('workspace.setEscalations'),
    },
    alertRules: { list: unplanned('alertRules.list'), create: unplanned('alertRules.create'), update: unplanned('alertRules.update'), remove: unplanned('alertRules.remove') },
    admin: { activity: unplanned('admin.activity'), workspaces: unplanned('admin.workspaces'), users: unplanned('admin.users'), criticalEvents: unplanned('admin.criticalEvents') },
    preferences: { get: unplanned('preferences.get'), set: unplanned('preferences.set') },
    settings: { get: unplanned('settings.get'), set: unplanned('settings.set'), testSound: unplanned('settings.testSound') },
    deployment: { get: unplanned('deployment.get') },
    windows: { open: unplanned('windows.open'), close: unplanned('windows.close') },
    on: { state: vi.fn(off), session: vi.fn(off), streamEvent: vi.fn(off), playSound: vi.fn(off), exportProgress: vi.fn(off), focusNotification: vi.fn(off) },
  } as unknown as FakePlatform;
}

/** The renderer's errorMessage, for the mocked platform module. */
export const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** An error as the preload or the web adapter throws it: a message and the API's error code. */
export const appError = (code: string, message: string) => Object.assign(new Error(message), { code });
