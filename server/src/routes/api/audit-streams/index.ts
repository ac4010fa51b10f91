import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../../../config.ts';
import { requireAuth, requireWorkspaceAdmin } from '../../../plugins/app/auth.ts';
import {
  AuditStreamDeliveries,
  AuditStreamItem,
  CreateAuditStreamBody,
  ReplayAuditStreamBody,
  UpdateAuditStreamBody,
} from '../../../schemas/audit-streams.ts';
import { errorResponses, Uuid } from '../../../schemas/common.ts';
import {
  createAuditStream,
  deleteAuditStream,
  listAuditStreams,
  listDeliveries,
  replayAuditStream,
  updateAuditStream,
  type StreamManager,
} from '../../../services/audit-streams/manage-audit-streams.ts';

/** Super admins manage every stream; workspace admins those of their current workspace; others get 403. */
function streamManager(request: FastifyRequest): StreamManager {
  const auth = requireAuth(request);
  if (auth.user.isSuperAdmin) return { userId: auth.user.id, name: auth.user.name, isSuperAdmin: true, workspaceId: auth.workspaceId };
  const actor = requireWorkspaceAdmin(request);
  return { userId: actor.userId, name: actor.name, isSuperAdmin: false, workspaceId: actor.workspaceId };
}

const Params = Type.Object({ id: Uuid });
const TAGS = ['audit-streams'];

const auditStreamRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (fastify, { config }) => {
  const { secretKey } = config.auditStreams;

  fastify.get(
    '/api/audit-streams',
    {
      schema: {
        tags: TAGS,
        operationId: 'listAuditStreams',
        summary: 'SIEM streams: of the current workspace (admins), or all of them (super admins)',
        response: { 200: Type.Object({ items: Type.Array(AuditStreamItem) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ items: await listAuditStreams(fastify.db, streamManager(request)) }),
  );

  fastify.post(
    '/api/audit-streams',
    {
      schema: {
        tags: TAGS,
        operationId: 'createAuditStream',
        summary: 'Stream the activity log to a SIEM (audited); `secret` signs every request and is never shown again',
        description:
          'Workspace admins stream their current workspace; super admins give `workspace_id`, or leave it out to stream every entry of the service. `url` must be https (http only to a loopback address).',
        body: CreateAuditStreamBody,
        response: { 201: AuditStreamItem, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const stream = await createAuditStream(
        fastify.db,
        streamManager(request),
        {
          name: body.name,
          url: body.url,
          format: body.format,
          types: body.types ?? [],
          minSeverity: body.min_severity ?? null,
          secret: body.secret,
          token: body.token ?? null,
          workspaceId: body.workspace_id,
        },
        secretKey,
      );
      return reply.code(201).send(stream);
    },
  );

  fastify.patch(
    '/api/audit-streams/:id',
    {
      schema: {
        tags: TAGS,
        operationId: 'updateAuditStream',
        summary: 'Change, pause or resume a stream (audited; a new secret or token is recorded as changed, never shown)',
        params: Params,
        body: UpdateAuditStreamBody,
        response: { 200: AuditStreamItem, ...errorResponses(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const body = request.body;
      return updateAuditStream(
        fastify.db,
        streamManager(request),
        request.params.id,
        {
          name: body.name,
          url: body.url,
          format: body.format,
          types: body.types,
          minSeverity: body.min_severity,
          secret: body.secret,
          token: body.token,
          paused: body.paused,
        },
        secretKey,
      );
    },
  );

  fastify.delete(
    '/api/audit-streams/:id',
    {
      schema: {
        tags: TAGS,
        operationId: 'deleteAuditStream',
        summary: 'Delete a stream (audited)',
        params: Params,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      await deleteAuditStream(fastify.db, streamManager(request), request.params.id);
      // No body at all: `null` would be serialized as one.
      return reply.code(204).send(undefined as never);
    },
  );

  fastify.get(
    '/api/audit-streams/:id/deliveries',
    {
      schema: {
        tags: TAGS,
        operationId: 'listAuditStreamDeliveries',
        summary: "A stream's recent delivery attempts, its status and how far behind it is",
        params: Params,
        response: { 200: AuditStreamDeliveries, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => listDeliveries(fastify.db, streamManager(request), request.params.id),
  );

  fastify.post(
    '/api/audit-streams/:id/replay',
    {
      schema: {
        tags: TAGS,
        operationId: 'replayAuditStream',
        summary: 'Send again every entry recorded since a time (audited); receivers de-duplicate on `id`',
        params: Params,
        body: ReplayAuditStreamBody,
        response: { 200: AuditStreamItem, ...errorResponses(400, 401, 403, 404, 429) },
      },
    },
    async (request) => replayAuditStream(fastify.db, streamManager(request), request.params.id, new Date(request.body.since)),
  );
};

export default auditStreamRoutes;
