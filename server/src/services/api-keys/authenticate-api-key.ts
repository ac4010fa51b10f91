import type { Db } from '../../db/prisma.ts';
import { sqlOf } from '../../db/sql.ts';
import { hashToken } from '../../lib/tokens.ts';

/** Who is calling an integration endpoint: a workspace, through one of its keys. */
export interface IntegrationContext {
  apiKeyId: string;
  workspaceId: string;
}

/** How stale `last_used_at` may get: it is a hint for admins, not worth a write per request. */
const LAST_USED_PRECISION_SECONDS = 60;

/**
 * The key's workspace, or null for an unknown or revoked key; notes when it was last used.
 * One plain statement: it runs for every integration call (single events come by the thousand).
 */
export async function authenticateApiKey(db: Db, key: string): Promise<IntegrationContext | null> {
  const [found] = await sqlOf(db).query<{ id: string; workspace_id: string }>(
    `WITH found AS (SELECT id, workspace_id, last_used_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL),
     touched AS (
       UPDATE api_keys k SET last_used_at = now() FROM found f
        WHERE k.id = f.id AND (f.last_used_at IS NULL OR f.last_used_at < now() - make_interval(secs => $2)))
     SELECT id, workspace_id FROM found`,
    [hashToken(key), LAST_USED_PRECISION_SECONDS],
    'authenticate-api-key',
  );
  return found ? { apiKeyId: found.id, workspaceId: found.workspace_id } : null;
}
