import { type Db, inTransaction } from '../../db/prisma.ts';
import { leadSelect, toLeadItem } from './lead-item.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { findMember } from '../workspaces/find-member.ts';

export interface CreateLeadOptions {
  actor: Actor;
  name: string;
  email?: string;
  /** Default: the caller, who then hears about the lead's replies. */
  ownerUserId?: string;
  status?: string;
  stage?: string;
}

export function createLead(db: Db, options: CreateLeadOptions) {
  const { actor } = options;
  return inTransaction(db, async (tx) => {
    const owner = options.ownerUserId
      ? await findMember(tx, actor.workspaceId, options.ownerUserId, 'owner_user_id')
      : { id: actor.userId };
    const lead = await tx.lead.create({
      data: {
        workspaceId: actor.workspaceId,
        name: options.name,
        email: options.email ?? null,
        emailStatus: options.email ? 'found' : 'unknown',
        ownerUserId: owner.id,
        status: options.status,
        stage: options.stage ?? null,
      },
      select: leadSelect,
    });
    await recordActivity(tx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      type: 'lead.created',
      entity: { type: 'lead', id: lead.id },
      summary: `${actor.name} created lead ${lead.name}`,
      meta: { name: lead.name, email: lead.email, owner_user_id: lead.ownerUserId },
    });
    return toLeadItem(lead);
  });
}
