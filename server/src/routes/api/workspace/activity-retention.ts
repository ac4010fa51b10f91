import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../../../config.ts';
import { requireSuperAdmin, requireWorkspaceAdmin } from '../../../plugins/app/auth.ts';
import { ActivityRetention } from '@tray-notify/contract';
import { errorResponses, Uuid } from '../../../schemas/common.ts';
import { getActivityRetention, setActivityRetention } from '../../../services/retention/activity-retention.ts';

const Retention = ActivityRetention;

/** How long a workspace's activity is kept: its admins and super admins see and set it, at most the server's maximum. */
const activityRetentionRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (fastify, { config }) => {
  const serverDays = config.activityRetentionDays;

  fastify.get(
    '/api/workspace/activity-retention',
    {
      schema: {
        tags: ['workspace'],
        operationId: 'getActivityRetention',
        summary: "How long the current workspace's activity is kept (admins)",
        response: { 200: Retention, ...errorResponses(401, 403) },
      },
    },
    async (request) => getActivityRetention(fastify.db, requireWorkspaceAdmin(request).workspaceId, serverDays),
  );

  const Params = Type.Object({ id: Uuid });
  fastify.get(
    '/api/admin/workspaces/:id/activity-retention',
    {
      schema: {
        tags: ['admin'],
        operationId: 'getWorkspaceActivityRetention',
        summary: "How long a workspace's activity is kept (super admins)",
        params: Params,
        response: { 200: Retention, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      requireSuperAdmin(request);
      return getActivityRetention(fastify.db, request.params.id, serverDays);
    },
  );

  // Setting and clearing are two methods: a nullable number would let type coercion turn 0 into null.
  const set = async (request: FastifyRequest, workspaceId: string, days: number | null) => {
    const auth = requireSuperAdmin(request);
    return setActivityRetention(fastify.db, {
      workspaceId,
      days,
      serverDays,
      minDays: config.activityMinRetentionDays,
      actor: { userId: auth.user.id, name: auth.user.name },
    });
  };
  const RetentionBody = Type.Object({ retention_days: Type.Integer({ minimum: 1, maximum: 36_500 }) }, { additionalProperties: false });

  fastify.put(
    '/api/workspace/activity-retention',
    {
      schema: {
        tags: ['workspace'],
        operationId: 'setActivityRetention',
        summary: "Keep the current workspace's activity this many days, at most the server's ACTIVITY_RETENTION_DAYS (admins, audited)",
        body: RetentionBody,
        response: { 200: Retention, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = requireWorkspaceAdmin(request);
      return setActivityRetention(fastify.db, {
        workspaceId: actor.workspaceId,
        days: request.body.retention_days,
        serverDays,
        actor: { userId: actor.userId, name: actor.name },
      });
    },
  );

  fastify.put(
    '/api/admin/workspaces/:id/activity-retention',
    {
      schema: {
        tags: ['admin'],
        operationId: 'setWorkspaceActivityRetention',
        summary: "Keep a workspace's activity this many days, at most the server's ACTIVITY_RETENTION_DAYS (super admins, audited)",
        params: Params,
        body: RetentionBody,
        response: { 200: Retention, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => set(request, request.params.id, request.body.retention_days),
  );

  fastify.delete(
    '/api/admin/workspaces/:id/activity-retention',
    {
      schema: {
        tags: ['admin'],
        operationId: 'resetWorkspaceActivityRetention',
        summary: "Back to the server's retention (super admins, audited)",
        params: Params,
        response: { 200: Retention, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => set(request, request.params.id, null),
  );
};

export default activityRetentionRoutes;
