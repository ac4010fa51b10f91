import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { EMBED_ALLOWED_ROUTES, EMBED_SCOPE } from '../../domain/embed-signature.ts';
import { forbidden, unauthorized } from '../../lib/errors.ts';
import { type Actor, type AuthContext, type Inbox, inboxOf } from '../../domain/auth-context.ts';
import { authenticateToken } from '../../services/auth/authenticate.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate` on every route of the protected API scope. */
    auth: AuthContext | null;
  }
  interface FastifyInstance {
    /** onRequest hook: resolves the bearer token or answers 401. */
    authenticate(request: FastifyRequest): Promise<void>;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}

export function requireAuth(request: FastifyRequest): AuthContext {
  if (!request.auth) throw unauthorized();
  return request.auth;
}

/** The inbox the caller reaches (see inboxOf). */
export function requireInbox(request: FastifyRequest): Inbox {
  return inboxOf(requireAuth(request));
}

/** The caller and their current workspace; 403 when they have none (a super admin without memberships). */
export function requireWorkspace(request: FastifyRequest) {
  const auth = requireAuth(request);
  if (!auth.workspaceId || !auth.role) {
    throw forbidden(
      auth.user.isSuperAdmin
        ? 'As a super admin you belong to no workspace, so there is no workspace feed here: the admin view shows activity and critical events of every workspace.'
        : 'Choose one of your workspaces first.',
    );
  }
  return { auth, workspaceId: auth.workspaceId, role: auth.role };
}

/** The caller as the actor of a change in their current workspace. */
export function requireActor(request: FastifyRequest): Actor {
  const { auth, workspaceId, role } = requireWorkspace(request);
  return { workspaceId, userId: auth.user.id, name: auth.user.name, role };
}

export function requireWorkspaceAdmin(request: FastifyRequest): Actor {
  const actor = requireActor(request);
  if (actor.role !== 'admin') throw forbidden('Only admins of this workspace can do this.');
  return actor;
}

export function requireSuperAdmin(request: FastifyRequest): AuthContext {
  const auth = requireAuth(request);
  if (!auth.user.isSuperAdmin) throw forbidden('Only super admins can see this.');
  return auth;
}

export default fp(
  async function authPlugin(fastify: FastifyInstance) {
    fastify.decorateRequest('auth', null);
    fastify.decorate('authenticate', async (request: FastifyRequest) => {
      const token = bearerToken(request);
      if (!token) throw unauthorized();
      const auth = await authenticateToken(fastify.db, token);
      if (!auth) throw unauthorized('Your session has expired or was logged out. Log in again.');
      // An embedded bell's session is for the inbox only, whatever its bearer tries.
      if (auth.scope === EMBED_SCOPE && !EMBED_ALLOWED_ROUTES.test(request.routeOptions.url ?? '')) {
        throw forbidden('This session belongs to an embedded bell: it can only use the inbox.');
      }
      request.auth = auth;
    });
  },
  { name: 'auth', dependencies: ['db'] },
);
