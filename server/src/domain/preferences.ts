import { DEFAULT_QUIET_HOURS } from '@tray-notify/contract/lists';
import type { Preferences, TypePreference } from '@tray-notify/contract';
import { NOTIFICATION_TYPES, type NotificationType } from './types.ts';

export { DEFAULT_QUIET_HOURS, type Preferences };
export type Channels = TypePreference;

const on = (sound: boolean, email: boolean): Channels => ({ in_app: true, desktop: true, sound, email });

/**
 * Everything shows in the app and as a toast; sound is for what needs someone now (their
 * task, a reply, a failure); email only for failures, which nobody should miss while away.
 */
export const DEFAULT_CHANNELS: Record<NotificationType, Channels> = {
  task_assigned: on(true, false),
  task_completed: on(false, false),
  reply_received: on(true, false),
  campaign_outcome: on(false, false),
  playbook_completed: on(false, false),
  playbook_failed: on(true, true),
  job_failed: on(true, true),
  // Someone asked for exactly this alert: loud; mail is the rule's choice (its channels).
  alert_rule_triggered: on(true, false),
  // The SIEM no longer receives the audit log: a compliance gap, worth a sound and a mail.
  audit_stream_paused: on(true, true),
  // Super admins: a toast with a sound for every critical event, no mail.
  critical_job_failed: on(true, false),
  critical_playbook_failed: on(true, false),
  critical_login_failed: on(true, false),
  critical_member_change: on(true, false),
  critical_api_key: on(true, false),
  critical_other: on(true, false),
};

/** A type without defaults (from an integration) behaves like the loudest default. */
const UNKNOWN_TYPE_CHANNELS: Channels = { in_app: true, desktop: true, sound: true, email: false };

/** One type of a workspace's defaults as stored: channels, and whether (and by whom) it is locked. */
export interface StoredWorkspaceDefault extends Partial<Channels> {
  locked?: boolean;
  locked_by_id?: string | null;
}
export type StoredWorkspaceDefaults = Partial<Record<string, StoredWorkspaceDefault>>;

export interface StoredPreference {
  muted: boolean;
  quietHoursEnabled: boolean;
  quietHoursStart: string;
  quietHoursEnd: string;
  timeZone: string;
  types: unknown;
}

const CHANNEL_KEYS = ['in_app', 'desktop', 'sound', 'email'] as const;
const channelsIn = (value: Partial<Channels> | undefined): Partial<Channels> =>
  Object.fromEntries(CHANNEL_KEYS.filter((key) => typeof value?.[key] === 'boolean').map((key) => [key, value![key]]));

/**
 * The channels of one type for one recipient: the built-in default, under the workspace's
 * default, under the user's own choice. A type the workspace locked stays on in-app and on
 * the desktop whatever the user chose.
 */
export function channelsFor(userTypes: unknown, type: string, workspaceTypes?: unknown): Channels {
  const own = (userTypes ?? {}) as Partial<Record<string, Partial<Channels>>>;
  const workspace = ((workspaceTypes ?? {}) as StoredWorkspaceDefaults)[type];
  const channels = {
    ...(DEFAULT_CHANNELS[type as NotificationType] ?? UNKNOWN_TYPE_CHANNELS),
    ...channelsIn(workspace),
    ...channelsIn(own[type]),
  };
  return workspace?.locked ? { ...channels, in_app: true, desktop: true } : channels;
}

/** Whether the workspace keeps this type on for its members. */
export const isLocked = (workspaceTypes: unknown, type: string) =>
  ((workspaceTypes ?? {}) as StoredWorkspaceDefaults)[type]?.locked === true;

/**
 * A user's effective preferences: the stored row over the workspace's defaults over the
 * built-in ones (no row = defaults). `lockedTypes`: types some workspace of theirs keeps on.
 */
export function resolvePreferences(
  stored: StoredPreference | null,
  workspaceTypes?: unknown,
  lockedTypes: Iterable<string> = [],
): Omit<Preferences, 'locks'> {
  const locked = new Set(lockedTypes);
  const types = {} as Record<NotificationType, Channels>;
  for (const type of NOTIFICATION_TYPES) {
    const channels = channelsFor(stored?.types, type, workspaceTypes);
    types[type] = locked.has(type) ? { ...channels, in_app: true, desktop: true } : channels;
  }
  return {
    muted: stored?.muted ?? false,
    quiet_hours: stored
      ? {
          enabled: stored.quietHoursEnabled,
          start: stored.quietHoursStart,
          end: stored.quietHoursEnd,
          time_zone: stored.timeZone,
        }
      : { ...DEFAULT_QUIET_HOURS },
    types,
  };
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
