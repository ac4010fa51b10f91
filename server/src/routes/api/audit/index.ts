import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../../schemas/common.ts';
import { exportActivityChain, listCheckpoints } from '../../../services/activity/chain/export-chain.ts';
import { signingKey } from '../../../services/activity/chain/signing-key.ts';
import { Checkpoint } from '../../../schemas/audit.ts';
import { ChainParam, chainScope } from './chain-scope.ts';

/** The public half of the signing key: anyone may fetch it, so it needs no login. */
export const auditPublicKeyRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/api/audit/public-key',
    {
      schema: {
        tags: ['audit'],
        operationId: 'getAuditPublicKey',
        summary: 'The Ed25519 public key that signs activity checkpoints and purge entries',
        response: {
          200: Type.Object({
            algorithm: Type.Literal('Ed25519'),
            key_id: Type.String({ description: 'First 16 hex digits of SHA-256 over the key (SPKI DER)' }),
            public_key_pem: Type.String({ description: 'SPKI, PEM' }),
          }),
        },
      },
    },
    async () => {
      const key = await signingKey(fastify.db);
      return { algorithm: 'Ed25519' as const, key_id: key.keyId, public_key_pem: key.publicKeyPem };
    },
  );
};

/** A chain's checkpoints and its export for offline verification (admins: their workspace; super admins: any). */
const auditRoutes: FastifyPluginAsyncTypebox<{ exportRowsPerSecond: number }> = async (fastify, { exportRowsPerSecond }) => {
  fastify.get(
    '/api/audit/checkpoints',
    {
      schema: {
        tags: ['audit'],
        operationId: 'listAuditCheckpoints',
        summary: "A chain's signed checkpoints, newest first",
        querystring: Type.Object(
          { chain: ChainParam, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Checkpoint) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => listCheckpoints(fastify.db, await chainScope(fastify.db, request, request.query.chain), request.query.limit ?? 100),
  );

  fastify.get(
    '/api/audit/export',
    {
      schema: {
        tags: ['audit'],
        operationId: 'exportAuditChain',
        summary: 'A whole chain as NDJSON for offline verification: header, entries in chain order, checkpoints (streamed)',
        querystring: Type.Object({ chain: ChainParam }, { additionalProperties: false }),
        response: {
          200: {
            description: 'One JSON object per line: `header`, then each `entry`, then each `checkpoint` (README, Audit)',
            content: { 'application/x-ndjson': { schema: Type.String() } },
          },
          ...errorResponses(400, 401, 403, 404, 429),
        },
      },
      preHandler: fastify.heavyRead((request) => ({ workspace: (request.query as { chain?: string }).chain ?? request.auth?.workspaceId ?? 'service' })),
    },
    async (request, reply) => {
      const workspaceId = await chainScope(fastify.db, request, request.query.chain);
      const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '-');
      return reply
        .header('content-type', 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-${workspaceId ?? 'service'}-${stamp}.ndjson"`)
        .header('cache-control', 'no-store')
        // A stream of the declared text: the type provider types a text body as a string.
        .send(exportActivityChain(fastify.db, workspaceId, exportRowsPerSecond) as unknown as string);
    },
  );
};

export default auditRoutes;
