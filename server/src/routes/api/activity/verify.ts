import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { badRequest } from '../../../lib/errors.ts';
import { DateTime, errorResponses } from '../../../schemas/common.ts';
import { VerifyResult } from '../../../schemas/audit.ts';
import { verifyActivityChain } from '../../../services/activity/chain/verify-chain.ts';
import { ChainParam, chainScope } from '../audit/chain-scope.ts';

/** Recomputes a chain on the server (admins: their workspace; super admins: any). */
const verifyRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/api/activity/verify',
    {
      schema: {
        tags: ['activity'],
        operationId: 'verifyActivityChain',
        summary: "Recompute a chain's hashes and name the first entry that was changed, deleted, inserted or reordered",
        querystring: Type.Object(
          {
            chain: ChainParam,
            since: Type.Optional({ ...DateTime, description: 'Only entries recorded at or after this time' }),
            until: Type.Optional({ ...DateTime, description: 'Only entries recorded before this time' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: VerifyResult, ...errorResponses(400, 401, 403, 404, 429) },
      },
      preHandler: fastify.heavyRead((request) => ({ workspace: (request.query as { chain?: string }).chain ?? request.auth?.workspaceId ?? 'service' })),
    },
    async (request) => {
      const since = request.query.since ? new Date(request.query.since) : undefined;
      const until = request.query.until ? new Date(request.query.until) : undefined;
      if (since && until && since >= until) throw badRequest('`since` must be before `until`.', 'invalid_range');
      const workspaceId = await chainScope(fastify.db, request, request.query.chain);
      return verifyActivityChain(fastify.db, { workspaceId, since, until });
    },
  );
};

export default verifyRoutes;
