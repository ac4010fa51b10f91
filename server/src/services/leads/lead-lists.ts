import { type Db, inTransaction, Prisma } from '../../db/prisma.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../auth/auth-context.ts';
import { findLead } from './find-lead.ts';

const toList = (list: { id: string; name: string; createdAt: Date }) => ({
  id: list.id,
  name: list.name,
  created_at: list.createdAt.toISOString(),
});

export async function listLeadLists(db: Db, workspaceId: string) {
  const lists = await db.leadList.findMany({
    where: { workspaceId },
    select: { id: true, name: true, createdAt: true },
    orderBy: { name: 'asc' },
  });
  return lists.map(toList);
}

export async function createLeadList(db: Db, options: { actor: Actor; name: string }) {
  try {
    const list = await db.leadList.create({
      data: { workspaceId: options.actor.workspaceId, name: options.name },
      select: { id: true, name: true, createdAt: true },
    });
    return toList(list);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw conflict('A list with this name already exists.', 'duplicate_name');
    }
    throw error;
  }
}

/** Adds the lead once; adding it again changes nothing and records nothing. */
export function addLeadToList(db: Db, options: { actor: Actor; listId: string; leadId: string }) {
  const { actor } = options;
  return inTransaction(db, async (tx) => {
    const list = await tx.leadList.findFirst({
      where: { id: options.listId, workspaceId: actor.workspaceId },
      select: { id: true, name: true },
    });
    if (!list) throw notFound('No such list in this workspace.');
    const lead = await findLead(tx, actor.workspaceId, options.leadId);
    const { count } = await tx.leadListMember.createMany({
      data: [{ listId: list.id, leadId: lead.id }],
      skipDuplicates: true,
    });
    if (count > 0) {
      await recordActivity(tx, {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        type: 'lead.added_to_list',
        entity: { type: 'lead', id: lead.id },
        summary: `${lead.name} added to list “${list.name}”`,
        meta: { list_id: list.id, list: list.name },
      });
    }
    return { list_id: list.id, lead_id: lead.id, added: count > 0 };
  });
}
