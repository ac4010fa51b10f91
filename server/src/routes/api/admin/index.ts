import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { AdminUser, AdminWorkspace } from '@tray-notify/contract';
import { Type } from 'typebox';
import { requireSuperAdmin } from '../../../plugins/app/auth.ts';
import { ActivityExportDownload, ActivityItem, AdminActivityExportQuery, AdminActivityQuery } from '../../../schemas/activity.ts';
import { activityQueryOptions, isExpensiveActivityQuery } from '../activity/activity-query.ts';
import { sendActivityExport } from '../activity/send-export.ts';
import { errorResponses, Page, Uuid } from '../../../schemas/common.ts';
import { listActivity } from '../../../services/activity/list-activity.ts';
import { listUsers, listWorkspaces } from '../../../services/workspaces/directory.ts';

/** Super admins' expensive reads share one budget with the named workspace, or with each other across all of them. */
const ACROSS_WORKSPACES = 'all-workspaces';

/** Super admins only: every workspace. Everybody else gets 403. */
const adminRoutes: FastifyPluginAsyncTypebox<{ exportRowsPerSecond: number }> = async (fastify, { exportRowsPerSecond }) => {
  const adminScope = (request: FastifyRequest) => ({ workspace: (request.query as { workspace_id?: string }).workspace_id ?? ACROSS_WORKSPACES });

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
        response: { 200: Page(ActivityItem), ...errorResponses(400, 401, 403, 429) },
      },
      preHandler: fastify.heavyRead((request) =>
        isExpensiveActivityQuery(request.query as Parameters<typeof isExpensiveActivityQuery>[0]) ? adminScope(request) : undefined,
      ),
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
    '/api/admin/activity/export',
    {
      schema: {
        tags: ['admin'],
        operationId: 'exportAllActivity',
        summary: 'Every entry across workspaces matching the filters, as a CSV or NDJSON download (super admins; streamed)',
        querystring: AdminActivityExportQuery,
        response: { 200: ActivityExportDownload, ...errorResponses(400, 401, 403, 429) },
      },
      preHandler: fastify.heavyRead(adminScope),
    },
    async (request, reply) => {
      const { filters } = activityQueryOptions(request.query);
      const { workspace_id: workspaceId, actor_user_id: actorUserId, format } = request.query;
      return sendActivityExport(reply, fastify.db, { ...filters, workspaceId, actorUserId }, format ?? 'csv', exportRowsPerSecond);
    },
  );

  fastify.get(
    '/api/admin/critical-events',
    {
      schema: {
        operationId: 'listCriticalEvents',
        tags: ['admin'],
        summary: 'The latest critical activity across workspaces, most recently recorded first (super admins)',
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(ActivityItem) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const page = await listActivity(fastify.db, { severity: 'critical' }, { page: 1, pageSize: request.query.limit ?? 50, byRecordedTime: true });
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
          ...errorResponses(401, 403, 429),
        },
      },
      preHandler: fastify.heavyRead(adminScope),
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
          ...errorResponses(400, 401, 403, 429),
        },
      },
      preHandler: fastify.heavyRead(adminScope),
    },
    async (request) => ({ items: await listUsers(fastify.db, request.query.workspace_id) }),
  );
};

export default adminRoutes;
