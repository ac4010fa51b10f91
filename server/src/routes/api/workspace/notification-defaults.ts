import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { EscalationRule, WorkspaceNotificationDefaults, WorkspaceTypeDefaultInput } from '@tray-notify/contract';
import { requireActor, requireWorkspaceAdmin } from '../../../plugins/app/auth.ts';
import { errorResponses } from '../../../schemas/common.ts';
import { listEscalations, replaceEscalations } from '../../../services/escalations/escalations.ts';
import { getWorkspaceDefaults, replaceWorkspaceDefaults, WORKSPACE_TYPES } from '../../../services/preferences/workspace-defaults.ts';

const DefaultsBody = Type.Object(
  {
    types: Type.Object(Object.fromEntries(WORKSPACE_TYPES.map((type) => [type, Type.Optional(WorkspaceTypeDefaultInput)])), {
      additionalProperties: false,
    }),
  },
  { additionalProperties: false },
);

const EscalationsBody = Type.Object({ items: Type.Array(EscalationRule, { maxItems: 10 }) }, { additionalProperties: false });
const Escalations = Type.Object({ items: Type.Array(EscalationRule) });

/** The current workspace's notification defaults for its members, and its escalations of unclaimed alerts. */
const notificationDefaultRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/api/workspace/notification-defaults',
    {
      schema: {
        operationId: 'getWorkspaceNotificationDefaults',
        tags: ['workspace'],
        summary: "The current workspace's default preferences per type, and which types are locked on and by whom",
        response: { 200: WorkspaceNotificationDefaults, ...errorResponses(401, 403) },
      },
    },
    async (request) => getWorkspaceDefaults(fastify.db, requireActor(request).workspaceId),
  );

  fastify.put(
    '/api/workspace/notification-defaults',
    {
      schema: {
        operationId: 'updateWorkspaceNotificationDefaults',
        tags: ['workspace'],
        summary:
          "Replace the workspace's defaults (admins; types left out go back to the built-in ones). Members' own choices stay; a locked type stays on in-app and on the desktop for everyone",
        body: DefaultsBody,
        response: { 200: WorkspaceNotificationDefaults, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => replaceWorkspaceDefaults(fastify.db, requireWorkspaceAdmin(request), request.body.types),
  );

  fastify.get(
    '/api/workspace/notification-escalations',
    {
      schema: {
        operationId: 'listNotificationEscalations',
        tags: ['workspace'],
        summary: 'Escalations of unclaimed workspace-level alerts, per type (admins)',
        response: { 200: Escalations, ...errorResponses(401, 403) },
      },
    },
    async (request) => listEscalations(fastify.db, requireWorkspaceAdmin(request).workspaceId),
  );

  fastify.put(
    '/api/workspace/notification-escalations',
    {
      schema: {
        operationId: 'replaceNotificationEscalations',
        tags: ['workspace'],
        summary:
          'Replace the escalations (admins): an alert of the type unclaimed and unread by every admin after `after_minutes` notifies the super admins and/or mails the admins, once',
        body: EscalationsBody,
        response: { 200: Escalations, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => replaceEscalations(fastify.db, requireWorkspaceAdmin(request), request.body.items),
  );
};

export default notificationDefaultRoutes;
