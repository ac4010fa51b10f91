import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LoginBody, LoginResponse } from '../../../schemas/auth.ts';
import { errorResponses } from '../../../schemas/common.ts';
import { login } from '../../../services/auth/login.ts';
import type { Config } from '../../../config.ts';

/** Public: the only API route that needs no token. */
const loginRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (fastify, { config }) => {
  fastify.post(
    '/api/auth/login',
    {
      schema: {
        operationId: 'createSession',
        tags: ['auth'],
        summary: 'Log in with email and password; returns a bearer token',
        security: [],
        body: LoginBody,
        response: { 200: LoginResponse, ...errorResponses(400, 401, 429) },
      },
    },
    async (request) => {
      const session = await login(fastify.db, {
        email: request.body.email,
        password: request.body.password,
        ip: request.ip,
        userAgent: request.headers['user-agent'],
        sessionTtlHours: config.sessionTtlHours,
        throttle: {
          maxFailuresPerAccount: config.loginMaxFailuresPerAccount,
          maxAttemptsPerAddress: config.loginMaxAttemptsPerAddress,
          windowSeconds: config.loginWindowSeconds,
          alertAfterFailures: config.loginAlertAfterFailures,
        },
      });
      return {
        token: session.token,
        expires_at: session.expiresAt.toISOString(),
        user: {
          id: session.user.id,
          email: session.user.email,
          name: session.user.name,
          is_super_admin: session.user.isSuperAdmin,
        },
      };
    },
  );
};

export default loginRoutes;
