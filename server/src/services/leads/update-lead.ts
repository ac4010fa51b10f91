import { type Db, inTransaction } from '../../db/prisma.ts';
import { leadSelect, toLeadItem } from './lead-item.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { findMember } from '../workspaces/find-member.ts';
import { findLead } from './find-lead.ts';

export interface LeadChanges {
  name?: string;
  email?: string | null;
  ownerUserId?: string | null;
  status?: string;
  stage?: string | null;
}

const FIELD_NAMES: Record<keyof LeadChanges, string> = {
  name: 'name',
  email: 'email',
  ownerUserId: 'owner_user_id',
  status: 'status',
  stage: 'stage',
};

/** Applies the changes; the activity records each changed field as `{from, to}`. No change, no activity. */
export function updateLead(db: Db, options: { actor: Actor; leadId: string; changes: LeadChanges }) {
  const { actor, changes } = options;
  return inTransaction(db, async (tx) => {
    const lead = await findLead(tx, actor.workspaceId, options.leadId);
    const changed: Record<string, { from: string | null; to: string | null }> = {};
    for (const key of Object.keys(FIELD_NAMES) as (keyof LeadChanges)[]) {
      const to = changes[key];
      if (to !== undefined && to !== lead[key]) changed[FIELD_NAMES[key]] = { from: lead[key], to };
    }
    if (Object.keys(changed).length === 0) return toLeadItem(lead);
    if (changes.ownerUserId && changed.owner_user_id) {
      await findMember(tx, actor.workspaceId, changes.ownerUserId, 'owner_user_id');
    }
    const emailChanged = 'email' in changed;
    const updated = await tx.lead.update({
      where: { id: lead.id },
      data: {
        ...changes,
        // A new address has not been verified yet.
        ...(emailChanged ? { emailStatus: changes.email ? 'found' : 'unknown' } : {}),
      },
      select: leadSelect,
    });
    await recordActivity(tx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      type: 'lead.updated',
      entity: { type: 'lead', id: lead.id },
      summary: `${actor.name} updated ${updated.name}: ${Object.keys(changed).join(', ')}`,
      meta: { changes: changed },
    });
    return toLeadItem(updated);
  });
}
