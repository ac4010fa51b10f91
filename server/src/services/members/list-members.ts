import type { Db } from '../../db/prisma.ts';

export async function listMembers(db: Db, workspaceId: string) {
  const memberships = await db.membership.findMany({
    where: { workspaceId },
    select: { role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
    orderBy: { user: { name: 'asc' } },
  });
  return memberships.map((membership) => ({
    user_id: membership.user.id,
    name: membership.user.name,
    email: membership.user.email,
    role: membership.role,
    joined_at: membership.createdAt.toISOString(),
  }));
}
