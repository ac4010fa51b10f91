import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireWorkspace } from '../../../plugins/app/auth.ts';
import { ActivityItem, WorkspaceActivityQuery } from '../../../schemas/activity.ts';
import { activityQueryOptions } from './activity-query.ts';
import { errorResponses, Page } from '../../../schemas/common.ts';
import { listActivity } from '../../../services/activity/list-activity.ts';
import { AUDIT_ACTIVITY_TYPES } from '../../../domain/types.ts';

const activityRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/api/activity',
    {
      schema: {
        operationId: 'listActivity',
        tags: ['activity'],
        summary: "Activity of the caller's current workspace, newest first",
        querystring: WorkspaceActivityQuery,
        response: { 200: Page(ActivityItem), ...errorResponses(400, 401, 403) },
      },
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
};

export default activityRoutes;
