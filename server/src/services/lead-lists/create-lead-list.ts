import { type Db, Prisma } from '../../db/prisma.ts';
import { conflict } from '../../lib/errors.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { leadListSelect, toLeadListItem } from './lead-list-item.ts';

export async function createLeadList(db: Db, options: { actor: Actor; name: string }) {
  try {
    const list = await db.leadList.create({
      data: { workspaceId: options.actor.workspaceId, name: options.name },
      select: leadListSelect,
    });
    return toLeadListItem(list);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw conflict('A list with this name already exists.', 'duplicate_name');
    }
    throw error;
  }
}
