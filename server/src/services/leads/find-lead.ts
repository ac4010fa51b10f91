import type { Db } from '../../db/prisma.ts';
import { notFound } from '../../lib/errors.ts';
import { leadSelect } from './lead-item.ts';

/** A lead of the workspace; another workspace's lead is "not found", never revealed. */
export async function findLead(db: Db, workspaceId: string, leadId: string) {
  const lead = await db.lead.findFirst({ where: { id: leadId, workspaceId }, select: leadSelect });
  if (!lead) throw notFound('No such lead in this workspace.');
  return lead;
}
