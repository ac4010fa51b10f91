import { type Db, inTransaction } from '../../db/prisma.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { plural } from '../../lib/plural.ts';
import { recordActivity } from '../activity/record-activity.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { campaignSelect, toCampaignItem } from './campaign-item.ts';

/** Sends a draft campaign to leads of the workspace, once. */
export function sendCampaign(db: Db, options: { actor: Actor; campaignId: string; leadIds: string[] }) {
  const { actor } = options;
  const leadIds = [...new Set(options.leadIds)];
  return inTransaction(db, async (tx) => {
    const campaign = await tx.campaign.findFirst({
      where: { id: options.campaignId, workspaceId: actor.workspaceId },
      select: { id: true, name: true },
    });
    if (!campaign) throw notFound('No such campaign in this workspace.');
    const leads = await tx.lead.count({ where: { id: { in: leadIds }, workspaceId: actor.workspaceId } });
    if (leads !== leadIds.length) throw notFound('Some of `lead_ids` are not leads of this workspace.');
    // Conditional, so two concurrent sends cannot both go out.
    const { count } = await tx.campaign.updateMany({
      where: { id: campaign.id, sentAt: null },
      data: { sentAt: new Date() },
    });
    if (count === 0) throw conflict('This campaign has already been sent.', 'already_sent');
    await tx.campaignLead.createMany({ data: leadIds.map((leadId) => ({ campaignId: campaign.id, leadId })) });
    await recordActivity(tx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      type: 'campaign.sent',
      entity: { type: 'campaign', id: campaign.id },
      summary: `${actor.name} sent campaign “${campaign.name}” to ${plural(leadIds.length, 'lead')}`,
      meta: { campaign: campaign.name, recipients: leadIds.length },
    });
    return toCampaignItem(await tx.campaign.findUniqueOrThrow({ where: { id: campaign.id }, select: campaignSelect }));
  });
}
