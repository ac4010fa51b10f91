import type { Prisma } from '../../db/prisma.ts';

export const leadListSelect = { id: true, name: true, createdAt: true } satisfies Prisma.LeadListSelect;

export const toLeadListItem = (list: { id: string; name: string; createdAt: Date }) => ({
  id: list.id,
  name: list.name,
  created_at: list.createdAt.toISOString(),
});
