import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DeliveryReport, DeliveryReportInput, DeliveryTest } from '@tray-notify/contract';
import { requireAuth, requireInbox } from '../../../plugins/app/auth.ts';
import { errorResponses, Uuid } from '../../../schemas/common.ts';
import { deliveryReports, reportDelivery, sendTestAlert } from '../../../services/notifications/delivery-test.ts';

/** The settings' delivery self-test: a real alert to oneself, and each client's word on it. */
const deliveryTestRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/api/notifications/test',
    {
      schema: {
        operationId: 'sendTestAlert',
        tags: ['notifications'],
        summary: 'Send the caller a real test notification through the normal path (inbox, stream, toasts) in their current workspace',
        response: { 201: DeliveryTest, ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(await sendTestAlert(fastify.db, requireAuth(request))),
  );

  fastify.post(
    '/api/notifications/:id/delivery-report',
    {
      schema: {
        operationId: 'reportDelivery',
        tags: ['notifications'],
        summary: "A client reports whether it showed this notification's toast, and why not (one report per client; a later one replaces it)",
        params: Type.Object({ id: Uuid }),
        body: DeliveryReportInput,
        response: { 200: DeliveryReport, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => reportDelivery(fastify.db, requireInbox(request), request.params.id, request.body),
  );

  fastify.get(
    '/api/notifications/:id/delivery-reports',
    {
      schema: {
        operationId: 'listDeliveryReports',
        tags: ['notifications'],
        summary: "The notification and what each of the caller's clients reported about it",
        params: Type.Object({ id: Uuid }),
        response: { 200: DeliveryTest, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => deliveryReports(fastify.db, requireInbox(request), request.params.id),
  );
};

export default deliveryTestRoutes;
