import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../../plugins/app/auth.ts';
import { errorResponses, Uuid } from '../../../schemas/common.ts';
import { AddToListBody, AddToListResponse, CreateLeadListBody, LeadList } from '../../../schemas/leads.ts';
import { addLeadToList } from '../../../services/lead-lists/add-lead-to-list.ts';
import { createLeadList } from '../../../services/lead-lists/create-lead-list.ts';
import { listLeadLists } from '../../../services/lead-lists/list-lead-lists.ts';

const leadListRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/api/lead-lists',
    {
      schema: {
        operationId: 'listLeadLists',
        tags: ['leads'],
        summary: 'Lead lists of the current workspace',
        response: { 200: Type.Object({ items: Type.Array(LeadList) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ items: await listLeadLists(fastify.db, requireActor(request).workspaceId) }),
  );

  fastify.post(
    '/api/lead-lists',
    {
      schema: {
        operationId: 'createLeadList',
        tags: ['leads'],
        summary: 'Create a lead list',
        body: CreateLeadListBody,
        response: { 201: LeadList, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createLeadList(fastify.db, { actor: requireActor(request), name: request.body.name })),
  );

  fastify.post(
    '/api/lead-lists/:id/leads',
    {
      schema: {
        operationId: 'addLeadToList',
        tags: ['leads'],
        summary: 'Add a lead to a list (activity `lead.added_to_list`; adding it again changes nothing)',
        params: Type.Object({ id: Uuid }),
        body: AddToListBody,
        response: { 200: AddToListResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      addLeadToList(fastify.db, { actor: requireActor(request), listId: request.params.id, leadId: request.body.lead_id }),
  );
};

export default leadListRoutes;
