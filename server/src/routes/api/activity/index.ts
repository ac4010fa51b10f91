import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireWorkspace } from '../../../plugins/app/auth.ts';
import { ActivityExportDownload, ActivityItem, WorkspaceActivityExportQuery, WorkspaceActivityQuery } from '../../../schemas/activity.ts';
import { activityQueryOptions, isExpensiveActivityQuery } from './activity-query.ts';
import { errorResponses, Page } from '../../../schemas/common.ts';
import { listActivity } from '../../../services/activity/list-activity.ts';
import { AUDIT_ACTIVITY_TYPES } from '../../../domain/types.ts';
import { sendActivityExport } from './send-export.ts';

const activityRoutes: FastifyPluginAsyncTypebox<{ exportRowsPerSecond: number }> = async (fastify, { exportRowsPerSecond }) => {
  fastify.get(
    '/api/activity',
    {
      schema: {
        operationId: 'listActivity',
        tags: ['activity'],
        summary: "Activity of the caller's current workspace, newest first",
        querystring: WorkspaceActivityQuery,
        response: { 200: Page(ActivityItem), ...errorResponses(400, 401, 403, 429) },
      },
      preHandler: fastify.heavyRead((request) => {
        const query = request.query as Parameters<typeof isExpensiveActivityQuery>[0];
        return isExpensiveActivityQuery(query) ? { workspace: requireWorkspace(request).workspaceId } : undefined;
      }),
    },
    async (request) => {
      const { workspaceId, role } = requireWorkspace(request);
      const { filters, page } = activityQueryOptions(request.query);
      return listActivity(
        fastify.db,
        {
          ...filters,
          workspaceId,
          // Audit entries (failed logins, role changes, API keys) are for admins.
          excludeTypes: role === 'admin' ? undefined : AUDIT_ACTIVITY_TYPES,
        },
        page,
      );
    },
  );

  fastify.get(
    '/api/activity/export',
    {
      schema: {
        tags: ['activity'],
        operationId: 'exportActivity',
        summary: 'Every entry of the current workspace matching the filters, as a CSV or NDJSON download (streamed, newest first)',
        querystring: WorkspaceActivityExportQuery,
        response: { 200: ActivityExportDownload, ...errorResponses(400, 401, 403, 429) },
      },
      preHandler: fastify.heavyRead((request) => ({ workspace: requireWorkspace(request).workspaceId })),
    },
    async (request, reply) => {
      const { workspaceId, role } = requireWorkspace(request);
      const { filters } = activityQueryOptions(request.query);
      const excludeTypes = role === 'admin' ? undefined : AUDIT_ACTIVITY_TYPES;
      return sendActivityExport(reply, fastify.db, { ...filters, workspaceId, excludeTypes }, request.query.format ?? 'csv', exportRowsPerSecond);
    },
  );
};

export default activityRoutes;
