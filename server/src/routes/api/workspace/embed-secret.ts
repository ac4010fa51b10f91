import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireWorkspaceAdmin } from '../../../plugins/app/auth.ts';
import { DateTime, errorResponses, Nullable } from '../../../schemas/common.ts';
import { embedSecretStatus, rotateEmbedSecret } from '../../../services/embed/embed-secret.ts';

/** The current workspace's secret for signing embedded-bell users (admins). */
const embedSecretRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/api/workspace/embed-secret',
    {
      schema: {
        operationId: 'getEmbedSecretStatus',
        tags: ['embed'],
        summary: 'Whether the current workspace has an embed secret, and since when (admins)',
        response: { 200: Type.Object({ configured: Type.Boolean(), rotated_at: Nullable(DateTime) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => embedSecretStatus(fastify.db, requireWorkspaceAdmin(request).workspaceId),
  );

  fastify.post(
    '/api/workspace/embed-secret',
    {
      schema: {
        operationId: 'rotateEmbedSecret',
        tags: ['embed'],
        summary:
          'Create or replace the embed secret (admins; critical activity `embed_secret.rotated`); shown in this response only, the old one and the bell sessions it opened stop working',
        response: { 200: Type.Object({ secret: Type.String(), rotated_at: DateTime }), ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const actor = requireWorkspaceAdmin(request);
      return rotateEmbedSecret(fastify.db, { workspaceId: actor.workspaceId, actor });
    },
  );
};

export default embedSecretRoutes;
