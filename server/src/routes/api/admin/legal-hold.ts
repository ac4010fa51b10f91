import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireSuperAdmin } from '../../../plugins/app/auth.ts';
import { LegalHold } from '../../../schemas/audit.ts';
import { errorResponses, Uuid } from '../../../schemas/common.ts';
import { getLegalHold, setLegalHold } from '../../../services/retention/legal-hold.ts';

const Params = Type.Object({ id: Uuid });
const ReasonBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S', description: 'Why (a matter, a ticket): part of the audit entry' }) },
  { additionalProperties: false },
);

/** Super admins place and lift legal holds; while held nothing deletes the workspace's activity or notifications. */
const legalHoldRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/api/admin/workspaces/:id/legal-hold',
    {
      schema: {
        tags: ['admin'],
        operationId: 'getLegalHold',
        summary: "A workspace's legal hold (super admins)",
        params: Params,
        response: { 200: LegalHold, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireSuperAdmin(request);
      return getLegalHold(fastify.db, request.params.id);
    },
  );

  for (const held of [true, false]) {
    const route = {
      schema: {
        tags: ['admin'],
        operationId: held ? 'placeLegalHold' : 'liftLegalHold',
        summary: held
          ? 'Place a legal hold: no retention, purge or member removal deletes the workspace\'s activity or notifications (super admins, audited)'
          : 'Lift a legal hold (super admins, audited)',
        params: Params,
        body: ReasonBody,
        response: { 200: LegalHold, ...errorResponses(400, 401, 403, 404) },
      },
    };
    const handler = async (request: { params: { id: string }; body: { reason: string } } & Parameters<typeof requireSuperAdmin>[0]) => {
      const auth = requireSuperAdmin(request);
      return setLegalHold(fastify.db, {
        workspaceId: request.params.id,
        held,
        reason: request.body.reason.trim(),
        actor: { userId: auth.user.id, name: auth.user.name },
      });
    };
    if (held) fastify.put('/api/admin/workspaces/:id/legal-hold', route, handler);
    else fastify.delete('/api/admin/workspaces/:id/legal-hold', route, handler);
  }
};

export default legalHoldRoutes;
