import type { Db, Prisma } from '../../db/prisma.ts';
import { type Channels, isTimeZone, resolvePreferences } from '../../domain/preferences.ts';
import type { NotificationType } from '../../domain/types.ts';
import { badRequest } from '../../lib/errors.ts';

export interface PreferencesInput {
  muted: boolean;
  quiet_hours: { enabled: boolean; start: string; end: string; time_zone: string };
  types: Partial<Record<NotificationType, Channels>>;
}

/** Replaces the user's preferences (types left out use the defaults) and returns the effective ones. */
export async function updatePreferences(db: Db, userId: string, input: PreferencesInput) {
  if (!isTimeZone(input.quiet_hours.time_zone)) {
    throw badRequest('body.quiet_hours.time_zone is not a known IANA time zone (e.g. Europe/Berlin).');
  }
  const data = {
    muted: input.muted,
    quietHoursEnabled: input.quiet_hours.enabled,
    quietHoursStart: input.quiet_hours.start,
    quietHoursEnd: input.quiet_hours.end,
    timeZone: input.quiet_hours.time_zone,
    types: input.types as Prisma.InputJsonObject,
  };
  const stored = await db.notificationPreference.upsert({ where: { userId }, create: { userId, ...data }, update: data });
  return resolvePreferences(stored);
}
