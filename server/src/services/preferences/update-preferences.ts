import type { Preferences } from '@tray-notify/contract';
import type { Db, Prisma } from '../../db/prisma.ts';
import { type Channels, isTimeZone } from '../../domain/preferences.ts';
import type { NotificationType } from '../../domain/types.ts';
import { badRequest } from '../../lib/errors.ts';
import { getPreferences } from './get-preferences.ts';
import { lockedTypeError, locksOf } from './workspace-defaults.ts';

export interface PreferencesInput {
  muted: boolean;
  quiet_hours: Preferences['quiet_hours'];
  types: Partial<Record<NotificationType, Channels>>;
}

/**
 * Replaces the user's preferences (types left out use the workspace's or built-in defaults)
 * and returns the effective ones. A type a workspace of theirs locked cannot be turned off
 * in-app or on the desktop: 400 naming the lock, nothing saved.
 */
export async function updatePreferences(db: Db, userId: string, workspaceId: string | null, input: PreferencesInput) {
  if (!isTimeZone(input.quiet_hours.time_zone)) {
    throw badRequest('body.quiet_hours.time_zone is not a known IANA time zone (e.g. Europe/Berlin).');
  }
  const locks = await locksOf(db, userId);
  for (const [type, channels] of Object.entries(input.types)) {
    const lock = locks[type];
    if (lock && channels && (!channels.in_app || !channels.desktop)) throw lockedTypeError(type, lock, 'turned off');
  }
  const data = {
    muted: input.muted,
    quietHoursEnabled: input.quiet_hours.enabled,
    quietHoursStart: input.quiet_hours.start,
    quietHoursEnd: input.quiet_hours.end,
    timeZone: input.quiet_hours.time_zone,
    types: input.types as Prisma.InputJsonObject,
  };
  await db.notificationPreference.upsert({ where: { userId }, create: { userId, ...data }, update: data });
  return getPreferences(db, userId, workspaceId);
}
