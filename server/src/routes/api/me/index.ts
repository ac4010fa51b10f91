import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Config } from '../../../config.ts';
import { requireAuth } from '../../../plugins/app/auth.ts';
import { Me } from '../../../schemas/auth.ts';
import { errorResponses, WorkspaceIdBody } from '../../../schemas/common.ts';
import { revokeSession } from '../../../services/auth/authenticate.ts';
import { getMe } from '../../../services/workspaces/get-me.ts';
import { switchWorkspace } from '../../../services/workspaces/switch-workspace.ts';

const meRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (fastify, { config }) => {
  const server = { email: !!config.smtpUrl, app_base_url: config.appBaseUrl ?? null };

  fastify.post(
    '/api/auth/logout',
    {
      schema: {
        operationId: 'revokeSession',
        tags: ['auth'],
        summary: 'Revoke the token of this request',
        response: { 204: Type.Null(), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      await revokeSession(fastify.db, requireAuth(request).sessionId);
      return reply.code(204).send(null);
    },
  );

  fastify.get(
    '/api/me',
    {
      schema: {
        operationId: 'getMe',
        tags: ['auth'],
        summary: 'The caller, their memberships and current workspace (for a bell session: the workspace that signed it)',
        response: { 200: Me, ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ ...(await getMe(fastify.db, requireAuth(request))), server }),
  );

  fastify.put(
    '/api/me/current-workspace',
    {
      schema: {
        operationId: 'switchWorkspace',
        tags: ['auth'],
        summary: 'Switch this session to another of your workspaces',
        body: WorkspaceIdBody,
        response: { 200: Me, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const auth = await switchWorkspace(fastify.db, requireAuth(request), request.body.workspace_id);
      return { ...(await getMe(fastify.db, auth)), server };
    },
  );
};

export default meRoutes;
