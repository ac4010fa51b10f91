import type { Db } from '../../db/prisma.ts';
import { type AuthContext, inboxOf } from '../../domain/auth-context.ts';

/** The caller, their memberships and the session's current workspace. */
export async function getMe(db: Db, auth: AuthContext) {
  // A bell session shows only the workspace that signed it.
  const onlyWorkspace = inboxOf(auth).workspaceId;
  const memberships = await db.membership.findMany({
    where: { userId: auth.user.id, ...(onlyWorkspace ? { workspaceId: onlyWorkspace } : {}) },
    select: { role: true, workspace: { select: { id: true, name: true } } },
    orderBy: { createdAt: 'asc' },
  });
  const current = memberships.find((membership) => membership.workspace.id === auth.workspaceId);
  return {
    id: auth.user.id,
    email: auth.user.email,
    name: auth.user.name,
    is_super_admin: auth.user.isSuperAdmin,
    current_workspace: current ? { id: current.workspace.id, name: current.workspace.name, role: current.role } : null,
    memberships: memberships.map((membership) => ({
      workspace_id: membership.workspace.id,
      workspace_name: membership.workspace.name,
      role: membership.role,
    })),
  };
}
