import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PersonRef } from '@tray-notify/contract';
import { requireInbox } from '../../../plugins/app/auth.ts';
import { DateTime, errorResponses, Uuid } from '../../../schemas/common.ts';
import { NotificationItem } from '../../../schemas/notifications.ts';
import { claimNotification, releaseNotification } from '../../../services/notifications/claim-notification.ts';

const ClaimConflict = Type.Object(
  {
    error: Type.Literal('already_claimed'),
    message: Type.String(),
    claimed_by: PersonRef,
    claimed_at: DateTime,
  },
  { description: 'Someone else holds the claim' },
);

/** Claiming a workspace-level notification (one every admin holds), and giving the claim back. */
const claimRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/api/notifications/:id/claim',
    {
      schema: {
        operationId: 'claimNotification',
        tags: ['notifications'],
        summary:
          "Take on a workspace-level notification: the other admins see who claimed it and it leaves their counts (activity `notification.claimed`); claiming one's own claim is a no-op",
        params: Type.Object({ id: Uuid }),
        response: { 200: NotificationItem, 409: ClaimConflict, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => claimNotification(fastify.db, requireInbox(request), request.params.id),
  );

  fastify.delete(
    '/api/notifications/:id/claim',
    {
      schema: {
        operationId: 'releaseNotification',
        tags: ['notifications'],
        summary: 'Give the claim back (holder only): it is everyone\'s again (activity `notification.released`)',
        params: Type.Object({ id: Uuid }),
        response: { 200: NotificationItem, 409: ClaimConflict, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => releaseNotification(fastify.db, requireInbox(request), request.params.id),
  );
};

export default claimRoutes;
