import type { Db } from '../../db/prisma.ts';
import type { Actor } from '../../domain/auth-context.ts';
import { findMember } from '../workspaces/find-member.ts';
import { campaignSelect, toCampaignItem } from './campaign-item.ts';

/** A draft campaign; nothing happens (no activity) until it is sent. */
export async function createCampaign(db: Db, options: { actor: Actor; name: string; ownerUserId?: string }) {
  const { actor } = options;
  const owner = options.ownerUserId
    ? await findMember(db, actor.workspaceId, options.ownerUserId, 'owner_user_id')
    : { id: actor.userId };
  const campaign = await db.campaign.create({
    data: { workspaceId: actor.workspaceId, name: options.name, ownerUserId: owner.id },
    select: campaignSelect,
  });
  return toCampaignItem(campaign);
}
