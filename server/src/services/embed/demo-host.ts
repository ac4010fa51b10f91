import type { Db } from '../../db/prisma.ts';
import { signEmbedUser } from '../../domain/embed-signature.ts';
import { notFound } from '../../lib/errors.ts';
import { rotateEmbedSecret } from './embed-secret.ts';

/**
 * What a host app's backend does before rendering its header: sign the signed-in user's id
 * for the bell. The demo page plays that backend for the user named by `email` (demo data:
 * rep@acme.test), in their first workspace, creating the workspace's secret if it has none.
 */
export async function signForDemo(db: Db, email: string, now = new Date()) {
  const user = await db.user.findUnique({
    where: { email: email.toLowerCase() },
    select: {
      id: true,
      name: true,
      memberships: { select: { workspace: { select: { id: true, name: true, embedSecret: true } } }, orderBy: { createdAt: 'asc' }, take: 1 },
    },
  });
  const workspace = user?.memberships[0]?.workspace;
  if (!user || !workspace) throw notFound('No member of a workspace has this email.');
  const secret = workspace.embedSecret ?? (await rotateEmbedSecret(db, { workspaceId: workspace.id, actor: null })).secret;
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    userId: user.id,
    userName: user.name,
    workspaceId: workspace.id,
    workspaceName: workspace.name,
    timestamp,
    signature: signEmbedUser(secret, workspace.id, user.id, timestamp),
  };
}
