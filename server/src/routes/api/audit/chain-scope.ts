import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../../db/prisma.ts';
import { requireAuth, requireWorkspaceAdmin } from '../../../plugins/app/auth.ts';
import { badRequest, forbidden, notFound } from '../../../lib/errors.ts';

export const ChainParam = Type.Optional(
  Type.String({
    pattern: '^(service|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$',
    description: "A workspace's id, or `service` for the entries of no workspace. Default: the caller's current workspace. Admins: their workspace only; super admins: any.",
  }),
);

/**
 * Whose chain the caller asked for and may read: admins their current workspace's, super
 * admins any workspace's or the service-wide one (`null`).
 */
export async function chainScope(db: Db, request: FastifyRequest, chain: string | undefined): Promise<string | null> {
  const auth = requireAuth(request);
  if (!auth.user.isSuperAdmin) {
    const actor = requireWorkspaceAdmin(request);
    if (chain !== undefined && chain.toLowerCase() !== actor.workspaceId) throw forbidden('Admins verify and export their own workspace only.');
    return actor.workspaceId;
  }
  if (chain === 'service') return null;
  const workspaceId = chain?.toLowerCase() ?? auth.workspaceId;
  if (!workspaceId) throw badRequest('Pass `chain`: a workspace id, or `service`.', 'chain_required');
  const workspace = await db.workspace.findUnique({ where: { id: workspaceId }, select: { id: true } });
  if (!workspace) throw notFound('No such workspace.');
  return workspace.id;
}
