import type { Db } from '../../db/prisma.ts';
import { resolvePreferences } from '../../domain/preferences.ts';

export async function getPreferences(db: Db, userId: string) {
  return resolvePreferences(await db.notificationPreference.findUnique({ where: { userId } }));
}
