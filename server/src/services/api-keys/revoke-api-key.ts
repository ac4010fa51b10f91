import { type Db, inTransaction } from '../../db/prisma.ts';
import { notFound } from '../../lib/errors.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { apiKeySelect, toApiKeyItem } from './api-key-item.ts';

/** Revokes the key at once; revoking it again changes and records nothing. */
export function revokeApiKey(db: Db, options: { actor: Actor; apiKeyId: string }) {
  const { actor } = options;
  return inTransaction(db, async (tx) => {
    const key = await tx.apiKey.findFirst({ where: { id: options.apiKeyId, workspaceId: actor.workspaceId }, select: { id: true } });
    if (!key) throw notFound('No such API key in this workspace.');
    const { count } = await tx.apiKey.updateMany({ where: { id: key.id, revokedAt: null }, data: { revokedAt: new Date() } });
    const revoked = await tx.apiKey.findUniqueOrThrow({ where: { id: key.id }, select: apiKeySelect });
    if (count > 0) {
      await recordActivity(tx, {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        type: 'api_key.revoked',
        entity: { type: 'api_key', id: key.id },
        summary: `${actor.name} revoked API key “${revoked.name}” (${revoked.prefix}…)`,
        meta: { name: revoked.name, prefix: revoked.prefix },
        severity: 'critical',
      });
    }
    return toApiKeyItem(revoked);
  });
}
