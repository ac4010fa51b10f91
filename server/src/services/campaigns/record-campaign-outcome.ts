import { type Db, inTransaction } from '../../db/prisma.ts';
import { campaignOutcome, notifiesCampaignOwner } from '../../domain/notifications.ts';
import type { CampaignOutcome } from '../../domain/types.ts';
import { notFound } from '../../lib/errors.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { createNotification } from '../notifications/create-notification.ts';
import { isMember } from '../workspaces/find-member.ts';


/** What happened with one recipient; replies and meetings notify the campaign owner. */
export function recordCampaignOutcome(
  db: Db,
  options: { actor: Actor; campaignId: string; leadId: string; outcome: CampaignOutcome },
) {
  const { actor, outcome } = options;
  return inTransaction(db, async (tx) => {
    const recipient = await tx.campaignLead.findFirst({
      where: { campaignId: options.campaignId, leadId: options.leadId, campaign: { workspaceId: actor.workspaceId } },
      select: {
        campaign: { select: { id: true, name: true, ownerUserId: true } },
        lead: { select: { id: true, name: true } },
      },
    });
    if (!recipient) throw notFound('No such campaign in this workspace, or it was not sent to this lead.');
    const { campaign, lead } = recipient;
    const outcomeAt = new Date();
    await tx.campaignLead.update({
      where: { campaignId_leadId: { campaignId: campaign.id, leadId: lead.id } },
      data: { outcome, outcomeAt },
    });
    await recordActivity(tx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      type: 'campaign.outcome',
      entity: { type: 'lead', id: lead.id },
      summary: `${lead.name} ${outcome.replace('_', ' ')} — ${campaign.name}`,
      meta: { campaign_id: campaign.id, campaign: campaign.name, outcome },
      severity: outcome === 'bounced' ? 'warning' : 'info',
    });
    // An owner who has left the workspace is not told (and must not block recording the outcome).
    if (notifiesCampaignOwner(outcome) && (await isMember(tx, actor.workspaceId, campaign.ownerUserId))) {
      await createNotification(
        tx,
        campaignOutcome({
          workspaceId: actor.workspaceId,
          campaignId: campaign.id,
          campaignName: campaign.name,
          ownerUserId: campaign.ownerUserId,
          leadId: lead.id,
          leadName: lead.name,
          outcome,
        }),
      );
    }
    return { campaign_id: campaign.id, lead_id: lead.id, outcome, outcome_at: outcomeAt.toISOString() };
  });
}
