import type { Db } from '../../db/prisma.ts';
import { hashToken } from '../../lib/tokens.ts';

/** Who is calling an integration endpoint: a workspace, through one of its keys. */
export interface IntegrationContext {
  apiKeyId: string;
  workspaceId: string;
}

/** How stale `last_used_at` may get: it is a hint for admins, not worth a write per request. */
const LAST_USED_PRECISION_MS = 60_000;

export async function authenticateApiKey(db: Db, key: string): Promise<IntegrationContext | null> {
  const found = await db.apiKey.findUnique({
    where: { keyHash: hashToken(key) },
    select: { id: true, workspaceId: true, revokedAt: true },
  });
  if (!found || found.revokedAt) return null;
  const now = new Date();
  await db.apiKey.updateMany({
    where: { id: found.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_PRECISION_MS) } }] },
    data: { lastUsedAt: now },
  });
  return { apiKeyId: found.id, workspaceId: found.workspaceId };
}
