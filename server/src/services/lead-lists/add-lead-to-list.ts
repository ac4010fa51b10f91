import { type Db, inTransaction } from '../../db/prisma.ts';
import { notFound } from '../../lib/errors.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { findLead } from '../leads/find-lead.ts';

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
