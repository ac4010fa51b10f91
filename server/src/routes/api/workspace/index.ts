import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ROLES } from '../../../domain/types.ts';
import { requireActor, requireWorkspaceAdmin } from '../../../plugins/app/auth.ts';
import { errorResponses, Uuid } from '../../../schemas/common.ts';
import { WorkspaceMember } from '@tray-notify/contract';
import { changeMemberRole } from '../../../services/members/change-member-role.ts';
import { listMembers } from '../../../services/members/list-members.ts';
import { removeMember } from '../../../services/members/remove-member.ts';

const Role = Type.Enum([...ROLES]);
const MemberParams = Type.Object({ user_id: Uuid });

const workspaceRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/api/workspace/members',
    {
      schema: {
        operationId: 'listMembers',
        tags: ['workspace'],
        summary: 'Members of the current workspace (for assignment pickers)',
        response: {
          200: Type.Object({ items: Type.Array(WorkspaceMember) }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) => ({ items: await listMembers(fastify.db, requireActor(request).workspaceId) }),
  );

  fastify.patch(
    '/api/workspace/members/:user_id',
    {
      schema: {
        operationId: 'changeMemberRole',
        tags: ['workspace'],
        summary: "Change a member's role (admins; critical activity `member.role_changed`)",
        params: MemberParams,
        body: Type.Object({ role: Role }, { additionalProperties: false }),
        response: {
          200: Type.Object({ user_id: Uuid, name: Type.String(), role: Role }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) =>
      changeMemberRole(fastify.db, { actor: requireWorkspaceAdmin(request), userId: request.params.user_id, role: request.body.role }),
  );

  fastify.delete(
    '/api/workspace/members/:user_id',
    {
      schema: {
        operationId: 'removeMember',
        tags: ['workspace'],
        summary: 'Remove someone from the workspace (admins; critical activity `member.removed`)',
        params: MemberParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await removeMember(fastify.db, { actor: requireWorkspaceAdmin(request), userId: request.params.user_id });
      return reply.code(204).send(null);
    },
  );
};

export default workspaceRoutes;
