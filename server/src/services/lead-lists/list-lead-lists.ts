import type { Db } from '../../db/prisma.ts';
import { leadListSelect, toLeadListItem } from './lead-list-item.ts';

export async function listLeadLists(db: Db, workspaceId: string) {
  const lists = await db.leadList.findMany({
    where: { workspaceId },
    select: leadListSelect,
    orderBy: { name: 'asc' },
  });
  return lists.map(toLeadListItem);
}
