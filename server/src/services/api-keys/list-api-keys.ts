import type { Db } from '../../db/prisma.ts';
import { apiKeySelect, toApiKeyItem } from './api-key-item.ts';

export async function listApiKeys(db: Db, workspaceId: string) {
  const keys = await db.apiKey.findMany({ where: { workspaceId }, select: apiKeySelect, orderBy: { createdAt: 'desc' } });
  return keys.map(toApiKeyItem);
}
