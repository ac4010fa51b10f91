import type { Prisma } from '../../db/prisma.ts';
import { badRequest, forbidden } from '../../lib/errors.ts';

/** Someone who manages a workspace's settings (alert rules, SIEM streams): a workspace admin or a super admin. */
export interface WorkspaceManager {
  userId: string;
  name: string;
  isSuperAdmin: boolean;
  /** The workspace admin's current workspace; for super admins, unused. */
  workspaceId: string | null;
}

/**
 * The workspace a manager creates something in: super admins name any workspace, or none for
 * the whole service; workspace admins only their current one (`what`, e.g. "rules", names the
 * thing in the refusal).
 */
export async function workspaceToCreateIn(
  tx: Prisma.TransactionClient,
  manager: WorkspaceManager,
  requested: string | null | undefined,
  what: string,
): Promise<string | null> {
  if (!manager.isSuperAdmin) {
    if (requested !== undefined && requested !== manager.workspaceId) {
      throw forbidden(`Workspace admins create ${what} for their current workspace only; leave out \`workspace_id\`.`);
    }
    return manager.workspaceId;
  }
  const workspaceId = requested ?? null;
  if (workspaceId && !(await tx.workspace.findUnique({ where: { id: workspaceId }, select: { id: true } }))) {
    throw badRequest(`No workspace ${workspaceId}.`);
  }
  return workspaceId;
}
