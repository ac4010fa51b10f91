import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireAuth } from '../../../plugins/app/auth.ts';
import { errorResponses, Uuid } from '../../../schemas/common.ts';
import { MuteItem } from '../../../schemas/notifications.ts';
import { deleteMute, listMutes } from '../../../services/notifications/mutes.ts';

/** What the caller muted from a notification ("why was I notified"), and undoing it. */
const muteRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/api/notification-preferences/mutes',
    {
      schema: {
        operationId: 'listMutes',
        tags: ['notifications'],
        summary: "The caller's mutes, newest first",
        response: { 200: Type.Object({ items: Type.Array(MuteItem) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ items: await listMutes(fastify.db, requireAuth(request).user.id) }),
  );

  fastify.delete(
    '/api/notification-preferences/mutes/:id',
    {
      schema: {
        operationId: 'deleteMute',
        tags: ['notifications'],
        summary: 'Undo a mute',
        params: Type.Object({ id: Uuid }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteMute(fastify.db, requireAuth(request).user.id, request.params.id);
      return reply.code(204).send(null);
    },
  );
};

export default muteRoutes;
