import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DateTime, errorResponses, Uuid } from '../../../schemas/common.ts';
import { EMBED_SCOPE } from '../../../domain/embed-signature.ts';
import { forbidden } from '../../../lib/errors.ts';
import { requireAuth } from '../../../plugins/app/auth.ts';
import { openEmbedSession } from '../../../services/embed/open-embed-session.ts';
import { renewEmbedSession } from '../../../services/embed/renew-embed-session.ts';

/** The embedded bell's sign-in: no password, the host app's backend vouches for the user. */
const embedSessionRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/api/embed/session',
    {
      schema: {
        operationId: 'openEmbedSession',
        tags: ['embed'],
        summary:
          "Exchange a host app's signature of a user id (HMAC-SHA256 of `<workspace_id>:<user_id>:<timestamp>` with the workspace's embed secret) for a one-hour session limited to that workspace's inbox; each signature opens one session",
        body: Type.Object(
          {
            workspace_id: Uuid,
            user_id: Uuid,
            timestamp: Type.Integer({ minimum: 0, description: 'Unix seconds when the host signed; accepted for 5 minutes' }),
            signature: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'hex' }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ token: Type.String(), expires_at: DateTime, user: Type.Object({ id: Uuid, name: Type.String() }) }),
          ...errorResponses(400, 401, 409, 429),
        },
      },
    },
    async (request) =>
      openEmbedSession(fastify.db, {
        workspaceId: request.body.workspace_id,
        userId: request.body.user_id,
        timestamp: request.body.timestamp,
        signature: request.body.signature,
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      }),
  );

  fastify.post(
    '/api/embed/session/renew',
    {
      onRequest: fastify.authenticate,
      schema: {
        operationId: 'renewEmbedSession',
        tags: ['embed'],
        summary:
          "A live bell session exchanged for a new one-hour session, so the host page need not sign again while it stays open; the old session ends, and each renews once",
        response: {
          200: Type.Object({ token: Type.String(), expires_at: DateTime, user: Type.Object({ id: Uuid, name: Type.String() }) }),
          ...errorResponses(401, 403, 429),
        },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      if (auth.scope !== EMBED_SCOPE) throw forbidden('Only an embedded bell’s session renews this way; apps log in again.');
      return renewEmbedSession(fastify.db, { sessionId: auth.sessionId, ip: request.ip, userAgent: request.headers['user-agent'] });
    },
  );
};

export default embedSessionRoutes;
