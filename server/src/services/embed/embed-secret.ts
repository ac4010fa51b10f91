import { randomBytes } from 'node:crypto';
import { type Db, inTransaction } from '../../db/prisma.ts';
import { EMBED_SCOPE } from '../../domain/embed-signature.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../../domain/auth-context.ts';

/**
 * A new embed secret for the workspace, shown only now. Like an API key's creation it is a
 * critical audit event. The old secret stops working at once, and so do the bell sessions
 * opened with it: whoever held it (the reason to rotate) keeps nothing.
 */
export function rotateEmbedSecret(db: Db, options: { workspaceId: string; actor: Actor | null }) {
  const { workspaceId, actor } = options;
  const secret = `tnes_${randomBytes(32).toString('base64url')}`;
  return inTransaction(db, async (tx) => {
    const workspace = await tx.workspace.update({
      where: { id: workspaceId },
      data: { embedSecret: secret, embedSecretRotatedAt: new Date() },
      select: { embedSecretRotatedAt: true },
    });
    const ended = await tx.session.updateMany({
      where: { workspaceId, scope: EMBED_SCOPE, revokedAt: null, expiresAt: { gt: new Date() } },
      data: { revokedAt: new Date() },
    });
    await recordActivity(tx, {
      workspaceId,
      actorUserId: actor?.userId ?? null,
      type: 'embed_secret.rotated',
      entity: { type: 'workspace', id: workspaceId },
      summary: `${actor ? actor.name : 'The demo host page'} set a new embed secret${ended.count > 0 ? ` (${ended.count} bell sessions ended)` : ''}`,
      meta: { ended_sessions: ended.count },
      severity: 'critical',
    });
    return { secret, rotated_at: workspace.embedSecretRotatedAt!.toISOString() };
  });
}

export async function embedSecretStatus(db: Db, workspaceId: string) {
  const workspace = await db.workspace.findUniqueOrThrow({
    where: { id: workspaceId },
    select: { embedSecretRotatedAt: true },
  });
  return {
    configured: workspace.embedSecretRotatedAt !== null,
    rotated_at: workspace.embedSecretRotatedAt?.toISOString() ?? null,
  };
}
