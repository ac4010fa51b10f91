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
    async (request) => getPreferences(fastify.db, requireAuth(request).user.id),
  );

  fastify.put(
    '/api/notification-preferences',
    {
      schema: {
        operationId: 'updateNotificationPreferences',
        tags: ['notifications'],
        summary: "Replace the caller's notification preferences; types left out go back to their defaults",
        body: PreferencesBody,
        response: { 200: Preferences, ...errorResponses(400, 401) },
      },
    },
    async (request) => updatePreferences(fastify.db, requireAuth(request).user.id, request.body),
  );
};

export default preferenceRoutes;
