import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AdminUser, AdminWorkspace } from '@tray-notify/contract';
import { Type } from 'typebox';
import { requireSuperAdmin } from '../../../plugins/app/auth.ts';
import { ActivityItem, AdminActivityQuery } from '../../../schemas/activity.ts';
import { activityQueryOptions } from '../activity/activity-query.ts';
import { errorResponses, Page, Uuid } from '../../../schemas/common.ts';
import { listActivity } from '../../../services/activity/list-activity.ts';
import { listUsers, listWorkspaces } from '../../../services/workspaces/directory.ts';

/** Super admins only: every workspace. Everybody else gets 403. */
const adminRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addHook('onRequest', async (request) => {
    requireSuperAdmin(request);
  });

  fastify.get(
    '/api/admin/activity',
    {
      schema: {
        operationId: 'listAllActivity',
        tags: ['admin'],
        summary: 'Activity across all workspaces (super admins)',
        querystring: AdminActivityQuery,
        response: { 200: Page(ActivityItem), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { filters, page } = activityQueryOptions(request.query);
      return listActivity(
        fastify.db,
        { ...filters, workspaceId: request.query.workspace_id, actorUserId: request.query.actor_user_id },
        page,
      );
    },
  );

  fastify.get(
    '/api/admin/critical-events',
    {
      schema: {
        operationId: 'listCriticalEvents',
        tags: ['admin'],
        summary: 'The latest critical activity across workspaces, newest first (super admins)',
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(ActivityItem) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const page = await listActivity(fastify.db, { severity: 'critical' }, { page: 1, pageSize: request.query.limit ?? 50 });
      return { items: page.items };
    },
  );

  fastify.get(
    '/api/admin/workspaces',
    {
      schema: {
        operationId: 'listWorkspaces',
        tags: ['admin'],
        summary: 'All workspaces (super admins), for filters',
        response: {
          200: Type.Object({ items: Type.Array(AdminWorkspace) }),
          ...errorResponses(401, 403),
        },
      },
    },
    async () => ({ items: await listWorkspaces(fastify.db) }),
  );

  fastify.get(
    '/api/admin/users',
    {
      schema: {
        operationId: 'listUsers',
        tags: ['admin'],
        summary: 'Users, optionally of one workspace (super admins), for filters',
        querystring: Type.Object({ workspace_id: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ items: Type.Array(AdminUser) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => ({ items: await listUsers(fastify.db, request.query.workspace_id) }),
  );
};

export default adminRoutes;
