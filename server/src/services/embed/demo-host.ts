import type { Db } from '../../db/prisma.ts';
import { signEmbedUser } from '../../domain/embed-signature.ts';
import { notFound } from '../../lib/errors.ts';
import { hashToken } from '../../lib/tokens.ts';
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
  // A signature opens one session and is of one second: a reload within the same second would
  // get a used one, so the demo signs the latest second whose signature is still unused.
  const seconds = Math.floor(now.getTime() / 1000);
  const candidates = Array.from({ length: 30 }, (_, back) => {
    const timestamp = seconds - back;
    return { timestamp, signature: signEmbedUser(secret, workspace.id, user.id, timestamp) };
  });
  const used = await db.embedSignatureUse.findMany({
    where: { signatureHash: { in: candidates.map((candidate) => hashToken(candidate.signature)) } },
    select: { signatureHash: true },
  });
  const usedHashes = new Set(used.map((row) => row.signatureHash));
  const { timestamp, signature } = candidates.find((candidate) => !usedHashes.has(hashToken(candidate.signature))) ?? candidates[0]!;
  return {
    userId: user.id,
    userName: user.name,
    workspaceId: workspace.id,
    workspaceName: workspace.name,
    timestamp,
    signature,
  };
}
