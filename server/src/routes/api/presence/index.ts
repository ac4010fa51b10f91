import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AlertDevices, PresenceReport } from '@tray-notify/contract';
import { Type } from 'typebox';
import { requireAuth } from '../../../plugins/app/auth.ts';
import { errorResponses } from '../../../schemas/common.ts';
import { getPresence, reportPresence, setAlertEveryDevice } from '../../../services/presence/presence.ts';

const PresenceState = Type.Object({
  ...AlertDevices.properties,
  alert_every_device: Type.Boolean({ description: 'Sound and toast on every device even while the user is active on one' }),
});

/**
 * Where the user is: clients report activity, the server decides which devices alert and tells
 * every stream of the user (`alert_devices`).
 */
const presenceRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/api/presence',
    {
      schema: {
        operationId: 'reportPresence',
        tags: ['notifications'],
        summary:
          'This device has input now (repeat every 30 s while it lasts; each report counts 90 s) or went idle: new notifications then sound and toast only where the user is active',
        body: PresenceReport,
        response: {
          200: Type.Object({ ...AlertDevices.properties, active_for_seconds: Type.Integer() }),
          ...errorResponses(400, 401, 403, 429),
        },
      },
    },
    async (request) => reportPresence(fastify.db, requireAuth(request).user.id, request.body),
  );

  fastify.get(
    '/api/presence',
    {
      schema: {
        operationId: 'getPresence',
        tags: ['notifications'],
        summary: 'Which of the caller\'s devices alert now, and the "alert on every device" setting',
        response: { 200: PresenceState, ...errorResponses(401, 403) },
      },
    },
    async (request) => getPresence(fastify.db, requireAuth(request).user.id),
  );

  fastify.put(
    '/api/presence/alert-every-device',
    {
      schema: {
        operationId: 'setAlertEveryDevice',
        tags: ['notifications'],
        summary: 'Turn "alert on every device" on (every device sounds and toasts) or off (only where the user is active)',
        body: Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: PresenceState, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => setAlertEveryDevice(fastify.db, requireAuth(request).user.id, request.body.enabled),
  );
};

export default presenceRoutes;
