import type { TypeLock, WorkspaceNotificationDefaults } from '@tray-notify/contract';
import { type Db, inTransaction, type Prisma } from '../../db/prisma.ts';
import { channelsFor, type Channels, type StoredWorkspaceDefaults } from '../../domain/preferences.ts';
import { NOTIFICATION_TYPES, typeLabel } from '../../domain/types.ts';
import { SUPER_ADMIN_NOTIFICATION_TYPES } from '@tray-notify/contract/lists';
import { badRequest } from '../../lib/errors.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { recordActivity } from '../activity/record-activity.ts';

/** The types a workspace sets defaults for: what its members and admins receive (not super admins' critical ones). */
export const WORKSPACE_TYPES = NOTIFICATION_TYPES.filter((type) => !SUPER_ADMIN_NOTIFICATION_TYPES.includes(type));

export type WorkspaceDefaultInput = Partial<Record<string, Channels & { locked?: boolean }>>;

/** The workspace's defaults for every type (the built-in ones where it set none), with who locked what. */
export async function getWorkspaceDefaults(db: Db, workspaceId: string): Promise<WorkspaceNotificationDefaults> {
  const row = await db.workspaceNotificationDefaults.findUnique({ where: { workspaceId } });
  const stored = (row?.types ?? {}) as StoredWorkspaceDefaults;
  const people = await namesOf(db, [
    ...Object.values(stored).map((entry) => entry?.locked_by_id),
    row?.updatedById,
  ]);
  const types: WorkspaceNotificationDefaults['types'] = {};
  for (const type of WORKSPACE_TYPES) {
    const entry = stored[type];
    const lockedBy = entry?.locked && entry.locked_by_id ? people.get(entry.locked_by_id) : undefined;
    types[type] = { ...channelsFor(undefined, type, stored), locked: entry?.locked === true, locked_by: lockedBy ?? null };
  }
  return {
    types,
    updated_at: row?.updatedAt.toISOString() ?? null,
    updated_by: (row?.updatedById && people.get(row.updatedById)) || null,
  };
}

/**
 * Replaces the workspace's defaults (types left out go back to the built-in ones). Members'
 * own choices stay as they are: defaults only fill in where a member chose nothing, and a
 * lock overrides their in-app and desktop choices without rewriting them. A lock keeps who
 * set it first. Serialised per workspace by the row lock, so concurrent saves cannot mix.
 */
export async function replaceWorkspaceDefaults(db: Db, actor: Actor, input: WorkspaceDefaultInput) {
  for (const [type, value] of Object.entries(input)) {
    if (value?.locked && (!value.in_app || !value.desktop)) {
      throw badRequest(`body.types.${type}: a locked type stays on in-app and on the desktop; set both to true to lock it.`, 'lock_needs_on');
    }
  }
  return inTransaction(db, async (tx) => {
    await tx.$executeRaw`
      INSERT INTO workspace_notification_defaults (workspace_id, types, updated_at) VALUES (${actor.workspaceId}::uuid, '{}', now())
      ON CONFLICT (workspace_id) DO NOTHING`;
    const [current] = await tx.$queryRaw<{ types: StoredWorkspaceDefaults }[]>`
      SELECT types FROM workspace_notification_defaults WHERE workspace_id = ${actor.workspaceId}::uuid FOR UPDATE`;
    const before = current?.types ?? {};
    const next: StoredWorkspaceDefaults = {};
    for (const [type, value] of Object.entries(input)) {
      if (!value) continue;
      const { locked, ...channels } = value;
      next[type] = locked
        ? { ...channels, locked: true, locked_by_id: before[type]?.locked ? (before[type]!.locked_by_id ?? actor.userId) : actor.userId }
        : { ...channels };
    }
    await tx.workspaceNotificationDefaults.update({
      where: { workspaceId: actor.workspaceId },
      data: { types: next as Prisma.InputJsonObject, updatedById: actor.userId },
    });
    const locked = Object.keys(next).filter((type) => next[type]?.locked && !before[type]?.locked);
    const unlocked = Object.keys(before).filter((type) => before[type]?.locked && !next[type]?.locked);
    const words = [
      'Changed the notification defaults',
      locked.length ? `locked ${locked.map(typeLabel).join(', ')}` : '',
      unlocked.length ? `unlocked ${unlocked.map(typeLabel).join(', ')}` : '',
    ].filter(Boolean);
    await recordActivity(tx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      type: 'workspace.notification_defaults_changed',
      summary: words.join('; '),
      meta: { types: next as Prisma.InputJsonObject, locked, unlocked },
    });
    return getWorkspaceDefaults(tx, actor.workspaceId);
  });
}

/** The types some workspace of the user keeps on, with the workspace and who locked it (the first such workspace per type). */
export async function locksOf(db: Db, userId: string): Promise<Record<string, TypeLock>> {
  const rows = await db.$queryRaw<{ workspace_id: string; workspace_name: string; types: StoredWorkspaceDefaults }[]>`
    SELECT d.workspace_id, w.name AS workspace_name, d.types
      FROM workspace_notification_defaults d
      JOIN memberships m ON m.workspace_id = d.workspace_id AND m.user_id = ${userId}::uuid
      JOIN workspaces w ON w.id = d.workspace_id
     ORDER BY w.name, d.workspace_id`;
  const people = await namesOf(db, rows.flatMap((row) => Object.values(row.types).map((entry) => entry?.locked_by_id)));
  const locks: Record<string, TypeLock> = {};
  for (const row of rows) {
    for (const [type, entry] of Object.entries(row.types)) {
      if (!entry?.locked || locks[type]) continue;
      locks[type] = {
        workspace_id: row.workspace_id,
        workspace_name: row.workspace_name,
        locked_by: (entry.locked_by_id && people.get(entry.locked_by_id)) || null,
      };
    }
  }
  return locks;
}

/** The 400 for turning off or muting a locked type, naming the lock. */
export function lockedTypeError(type: string, lock: TypeLock, what: string) {
  const by = lock.locked_by ? `${lock.locked_by.name} locked` : 'An admin locked';
  return badRequest(
    `${by} “${typeLabel(type)}” on in ${lock.workspace_name}: it stays on in-app and on the desktop, so it cannot be ${what}.`,
    'type_locked',
  );
}

async function namesOf(db: Db, ids: (string | null | undefined)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
  if (wanted.length === 0) return new Map<string, { id: string; name: string }>();
  const users = await db.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(users.map((user) => [user.id, user]));
}
