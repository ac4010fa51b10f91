import type { Prisma } from '../../db/prisma.ts';

export const campaignSelect = {
  id: true,
  workspaceId: true,
  name: true,
  ownerUserId: true,
  sentAt: true,
  createdAt: true,
  _count: { select: { leads: true } },
} satisfies Prisma.CampaignSelect;

export const toCampaignItem = (campaign: {
  id: string;
  workspaceId: string;
  name: string;
  ownerUserId: string;
  sentAt: Date | null;
  createdAt: Date;
  _count: { leads: number };
}) => ({
  id: campaign.id,
  workspace_id: campaign.workspaceId,
  name: campaign.name,
  owner_user_id: campaign.ownerUserId,
  sent_at: campaign.sentAt?.toISOString() ?? null,
  recipient_count: campaign._count.leads,
  created_at: campaign.createdAt.toISOString(),
});
