import { type Db, inTransaction } from '../../db/prisma.ts';
import { entityKeyOf, type MuteScope } from '../../domain/mutes.ts';
import { typeLabel } from '../../domain/types.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { lockedTypeError, locksOf } from '../preferences/workspace-defaults.ts';

export const muteSelect = { id: true, scope: true, key: true, label: true, createdAt: true } as const;

export const toMuteItem = (mute: { id: string; scope: string; key: string; label: string; createdAt: Date }) => ({
  id: mute.id,
  scope: mute.scope as MuteScope,
  key: mute.key,
  label: mute.label,
  created_at: mute.createdAt.toISOString(),
});

/**
 * "Stop telling me about this": the notification's type, or everything about its lead, job
 * or run, for the caller on every channel (createNotification skips them). Muting twice is
 * the same mute: one statement inserts or finds it, so concurrent clicks cannot duplicate it.
 */
export function muteFromNotification(db: Db, userId: string, notificationId: string, scope: MuteScope) {
  return inTransaction(db, async (tx) => {
    const receipt = await tx.notificationReceipt.findUnique({
      where: { notificationId_userId: { notificationId, userId } },
      select: { notification: { select: { type: true, meta: true, workspaceId: true } } },
    });
    if (!receipt) throw notFound('No such notification.');
    const { type, meta, workspaceId } = receipt.notification;
    let key: string;
    let label: string;
    if (scope === 'type') {
      const lock = (await locksOf(tx, userId))[type];
      if (lock) throw lockedTypeError(type, lock, 'muted');
      key = type;
      label = `All “${typeLabel(type)}” notifications`;
    } else {
      const entityKey = entityKeyOf(meta);
      if (!entityKey) {
        throw badRequest('This notification is not about a lead, job or playbook run: mute its type instead.', 'no_entity');
      }
      key = entityKey;
      label = await entityLabel(tx, workspaceId, entityKey);
    }
    const [row] = await tx.$queryRaw<{ id: string; scope: string; key: string; label: string; created_at: Date }[]>`
      INSERT INTO notification_mutes (user_id, scope, key, label) VALUES (${userId}::uuid, ${scope}, ${key}, ${label})
      ON CONFLICT (user_id, scope, key) DO UPDATE SET label = EXCLUDED.label
      RETURNING id, scope, key, label, created_at`;
    return toMuteItem({ ...row!, createdAt: row!.created_at });
  });
}

async function entityLabel(db: Db, workspaceId: string, entityKey: string) {
  const [kind, id] = entityKey.split(':') as [string, string];
  const uuid = /^[0-9a-f-]{36}$/i.test(id) ? id : undefined;
  if (kind === 'lead') {
    const lead = uuid && (await db.lead.findFirst({ where: { id: uuid, workspaceId }, select: { name: true } }));
    return `Everything about the lead ${lead ? lead.name : id}`;
  }
  if (kind === 'job') {
    const job = uuid && (await db.job.findFirst({ where: { id: uuid, workspaceId }, select: { kind: true } }));
    return `Everything about the ${job ? job.kind.replaceAll('_', ' ') : ''} job ${id.slice(0, 8)}`.replace('  ', ' ');
  }
  const run = uuid && (await db.playbookRun.findFirst({ where: { id: uuid, workspaceId }, select: { playbookName: true } }));
  return `Everything about the playbook run ${run ? `“${run.playbookName}”` : id.slice(0, 8)}`;
}

export async function listMutes(db: Db, userId: string) {
  const rows = await db.notificationMute.findMany({ where: { userId }, select: muteSelect, orderBy: { createdAt: 'desc' } });
  return rows.map(toMuteItem);
}

/** Undoes a mute; another user's mute is "not found". */
export async function deleteMute(db: Db, userId: string, muteId: string) {
  const { count } = await db.notificationMute.deleteMany({ where: { id: muteId, userId } });
  if (count === 0) throw notFound('No such mute.');
}
