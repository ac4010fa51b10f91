import type { Preferences } from '@tray-notify/contract';
import type { Db } from '../../db/prisma.ts';
import { resolvePreferences } from '../../domain/preferences.ts';
import { locksOf } from './workspace-defaults.ts';

/**
 * The user's effective preferences: their own choices over their current workspace's
 * defaults, with the types their workspaces keep on (and who locked them).
 */
export async function getPreferences(db: Db, userId: string, workspaceId: string | null): Promise<Preferences> {
  const [stored, defaults, locks] = await Promise.all([
    db.notificationPreference.findUnique({ where: { userId } }),
    workspaceId ? db.workspaceNotificationDefaults.findUnique({ where: { workspaceId }, select: { types: true } }) : null,
    locksOf(db, userId),
  ]);
  return { ...resolvePreferences(stored, defaults?.types, Object.keys(locks)), locks };
}
