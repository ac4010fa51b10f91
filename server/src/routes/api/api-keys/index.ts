import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireWorkspaceAdmin } from '../../../plugins/app/auth.ts';
import { errorResponses, Uuid } from '../../../schemas/common.ts';
import { ApiKeyItem, CreateApiKeyBody, CreatedApiKey } from '../../../schemas/integrations.ts';
import { createApiKey } from '../../../services/api-keys/create-api-key.ts';
import { listApiKeys } from '../../../services/api-keys/list-api-keys.ts';
import { revokeApiKey } from '../../../services/api-keys/revoke-api-key.ts';

/** Workspace admins manage the keys integrations use for POST /api/events. */
const apiKeyRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/api/api-keys',
    {
      schema: {
        operationId: 'listApiKeys',
        tags: ['integrations'],
        summary: "The current workspace's API keys, newest first (admins)",
        response: { 200: Type.Object({ items: Type.Array(ApiKeyItem) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ items: await listApiKeys(fastify.db, requireWorkspaceAdmin(request).workspaceId) }),
  );

  fastify.post(
    '/api/api-keys',
    {
      schema: {
        operationId: 'createApiKey',
        tags: ['integrations'],
        summary: 'Create an API key (admins); the key is shown in this response only (critical activity `api_key.created`)',
        body: CreateApiKeyBody,
        response: { 201: CreatedApiKey, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createApiKey(fastify.db, { actor: requireWorkspaceAdmin(request), name: request.body.name })),
  );

  fastify.delete(
    '/api/api-keys/:id',
    {
      schema: {
        operationId: 'revokeApiKey',
        tags: ['integrations'],
        summary: 'Revoke an API key at once (admins; critical activity `api_key.revoked`)',
        params: Type.Object({ id: Uuid }),
        response: { 200: ApiKeyItem, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => revokeApiKey(fastify.db, { actor: requireWorkspaceAdmin(request), apiKeyId: request.params.id }),
  );
};

export default apiKeyRoutes;
