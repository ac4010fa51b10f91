import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/prisma.ts';

/** A new embed secret for the workspace (the old one stops working at once); shown only now. */
export async function rotateEmbedSecret(db: Db, workspaceId: string) {
  const secret = `tnes_${randomBytes(32).toString('base64url')}`;
  const workspace = await db.workspace.update({
    where: { id: workspaceId },
    data: { embedSecret: secret, embedSecretRotatedAt: new Date() },
    select: { embedSecretRotatedAt: true },
  });
  return { secret, rotated_at: workspace.embedSecretRotatedAt!.toISOString() };
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
