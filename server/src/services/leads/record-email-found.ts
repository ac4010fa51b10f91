import { type Db, inTransaction } from '../../db/prisma.ts';
import { leadSelect, toLeadItem } from './lead-item.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { findLead } from './find-lead.ts';

/** An address found for the lead (by enrichment or by hand); it replaces the lead's email, unverified. */
export function recordEmailFound(db: Db, options: { actor: Actor; leadId: string; email: string; source?: string }) {
  const { actor } = options;
  return inTransaction(db, async (tx) => {
    const lead = await findLead(tx, actor.workspaceId, options.leadId);
    const updated = await tx.lead.update({
      where: { id: lead.id },
      data: { email: options.email, emailStatus: 'found' },
      select: leadSelect,
    });
    await recordActivity(tx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      type: 'email.found',
      entity: { type: 'lead', id: lead.id },
      summary: `Email found for ${lead.name}: ${options.email}`,
      meta: { email: options.email, previous_email: lead.email, source: options.source ?? 'manual' },
    });
    return toLeadItem(updated);
  });
}
