import type { Db } from '../../db/prisma.ts';

export async function listWorkspaces(db: Db) {
  const workspaces = await db.workspace.findMany({
    select: { id: true, name: true, _count: { select: { memberships: true } } },
    orderBy: { name: 'asc' },
  });
  return workspaces.map((workspace) => ({ id: workspace.id, name: workspace.name, member_count: workspace._count.memberships }));
}

export function listUsers(db: Db, workspaceId?: string) {
  return db.user.findMany({
    where: workspaceId ? { memberships: { some: { workspaceId } } } : {},
    select: { id: true, name: true, email: true },
    orderBy: { name: 'asc' },
  });
}
