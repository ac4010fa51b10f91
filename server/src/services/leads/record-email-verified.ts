import { type Db, inTransaction } from '../../db/prisma.ts';
import { conflict } from '../../lib/errors.ts';
import { leadSelect, toLeadItem } from './lead-item.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { findLead } from './find-lead.ts';

export type VerificationResult = 'deliverable' | 'risky' | 'undeliverable';

const STATUS: Record<VerificationResult, string> = { deliverable: 'verified', risky: 'risky', undeliverable: 'invalid' };

export function recordEmailVerified(db: Db, options: { actor: Actor; leadId: string; result: VerificationResult }) {
  const { actor } = options;
  return inTransaction(db, async (tx) => {
    const lead = await findLead(tx, actor.workspaceId, options.leadId);
    if (!lead.email) throw conflict('The lead has no email to verify: record one first.', 'no_email');
    const updated = await tx.lead.update({
      where: { id: lead.id },
      data: { emailStatus: STATUS[options.result] },
      select: leadSelect,
    });
    await recordActivity(tx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      type: 'email.verified',
      entity: { type: 'lead', id: lead.id },
      summary: `Email of ${lead.name} verified (${options.result})`,
      meta: { email: lead.email, result: options.result },
      severity: options.result === 'undeliverable' ? 'warning' : 'info',
    });
    return toLeadItem(updated);
  });
}
