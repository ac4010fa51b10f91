import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireAuth } from '../../../plugins/app/auth.ts';
import { errorResponses } from '../../../schemas/common.ts';
import { Preferences, PreferencesBody } from '../../../schemas/preferences.ts';
import { getPreferences } from '../../../services/preferences/get-preferences.ts';
import { updatePreferences } from '../../../services/preferences/update-preferences.ts';

/** The caller's own settings; the stream and the desktop app read the same ones. */
const preferenceRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/api/notification-preferences',
    {
      schema: {
        operationId: 'getNotificationPreferences',
        tags: ['notifications'],
        summary: "The caller's notification preferences (defaults where never set)",
        response: { 200: Preferences, ...errorResponses(401) },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      return getPreferences(fastify.db, auth.user.id, auth.workspaceId);
    },
  );

  fastify.put(
    '/api/notification-preferences',
    {
      schema: {
        operationId: 'updateNotificationPreferences',
        tags: ['notifications'],
        summary:
          "Replace the caller's notification preferences; types left out go back to their defaults (the workspace's, else the built-in ones). A type a workspace locked cannot be turned off in-app or on the desktop (400 `type_locked`)",
        body: PreferencesBody,
        response: { 200: Preferences, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      return updatePreferences(fastify.db, auth.user.id, auth.workspaceId, request.body);
    },
  );
};

export default preferenceRoutes;
