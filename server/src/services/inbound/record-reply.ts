import { type Db, inTransaction } from '../../db/prisma.ts';
import { replyReceived } from '../../domain/notifications.ts';
import { recordActivity } from '../activity/record-activity.ts';
import { findLead } from '../leads/find-lead.ts';
import { createNotification } from '../notifications/create-notification.ts';

export interface InboundReply {
  workspaceId: string;
  leadId: string;
  subject: string;
  snippet?: string;
  receivedAt?: Date;
}

/**
 * A lead replied (reported by the email-sync service). Its owner hears about it; replies
 * from the same lead in quick succession collapse into one notification. A lead without an
 * owner notifies the workspace's admins, so the reply is not lost.
 */
export function recordInboundReply(db: Db, reply: InboundReply) {
  return inTransaction(db, async (tx) => {
    const lead = await findLead(tx, reply.workspaceId, reply.leadId);
    const stored = await tx.emailReply.create({
      data: {
        workspaceId: reply.workspaceId,
        leadId: lead.id,
        subject: reply.subject,
        snippet: reply.snippet ?? '',
        receivedAt: reply.receivedAt,
      },
      select: { id: true, receivedAt: true },
    });
    const activity = await recordActivity(tx, {
      workspaceId: reply.workspaceId,
      actorUserId: null,
      type: 'email.reply_received',
      entity: { type: 'lead', id: lead.id },
      summary: `${lead.name} replied: ${reply.subject}`,
      meta: { reply_id: stored.id, subject: reply.subject },
    });
    const { notification } = await createNotification(
      tx,
      replyReceived({
        workspaceId: reply.workspaceId,
        id: stored.id,
        leadId: lead.id,
        leadName: lead.name,
        ownerUserId: lead.ownerUserId,
        subject: reply.subject,
        snippet: reply.snippet ?? '',
      }),
    );
    return { id: stored.id, lead_id: lead.id, activity_id: activity.id, notification_id: notification.id };
  });
}
