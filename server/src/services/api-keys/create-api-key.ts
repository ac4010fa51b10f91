import { type Db, inTransaction } from '../../db/prisma.ts';
import { hashToken, newToken } from '../../lib/tokens.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { apiKeySelect, toApiKeyItem } from './api-key-item.ts';

/** Recognisable in logs and secret scanners; the prefix shown in listings tells keys apart. */
const KEY_PREFIX = 'tnk_';
const SHOWN_PREFIX_LENGTH = KEY_PREFIX.length + 8;

/** Creates a workspace API key. The key itself is in this response only: just its hash is stored. */
export function createApiKey(db: Db, options: { actor: Actor; name: string }) {
  const { actor } = options;
  const key = KEY_PREFIX + newToken();
  return inTransaction(db, async (tx) => {
    const created = await tx.apiKey.create({
      data: {
        workspaceId: actor.workspaceId,
        name: options.name,
        prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
        keyHash: hashToken(key),
        createdById: actor.userId,
      },
      select: apiKeySelect,
    });
    await recordActivity(tx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      type: 'api_key.created',
      entity: { type: 'api_key', id: created.id },
      summary: `${actor.name} created API key “${created.name}” (${created.prefix}…)`,
      meta: { name: created.name, prefix: created.prefix },
      severity: 'critical',
    });
    return { ...toApiKeyItem(created), key };
  });
}
