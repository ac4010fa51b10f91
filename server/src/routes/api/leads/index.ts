import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../../plugins/app/auth.ts';
import { errorResponses, Uuid } from '../../../schemas/common.ts';
import { CreateLeadBody, EmailFoundBody, EmailVerifiedBody, LeadItem, UpdateLeadBody } from '../../../schemas/leads.ts';
import { toLeadItem } from '../../../services/leads/lead-item.ts';
import { createLead } from '../../../services/leads/create-lead.ts';
import { findLead } from '../../../services/leads/find-lead.ts';
import { recordEmailFound } from '../../../services/leads/record-email-found.ts';
import { recordEmailVerified } from '../../../services/leads/record-email-verified.ts';
import { updateLead } from '../../../services/leads/update-lead.ts';

const LeadParams = Type.Object({ id: Uuid });

const leadRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/api/leads',
    {
      schema: {
        operationId: 'createLead',
        tags: ['leads'],
        summary: 'Create a lead in the current workspace (activity `lead.created`)',
        body: CreateLeadBody,
        response: { 201: LeadItem, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { name, email, owner_user_id: ownerUserId, status, stage } = request.body;
      const lead = await createLead(fastify.db, { actor: requireActor(request), name, email, ownerUserId, status, stage });
      return reply.code(201).send(lead);
    },
  );

  fastify.get(
    '/api/leads/:id',
    {
      schema: {
        operationId: 'getLead',
        tags: ['leads'],
        summary: 'One lead of the current workspace',
        params: LeadParams,
        response: { 200: LeadItem, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => toLeadItem(await findLead(fastify.db, requireActor(request).workspaceId, request.params.id)),
  );

  fastify.patch(
    '/api/leads/:id',
    {
      schema: {
        operationId: 'updateLead',
        tags: ['leads'],
        summary: 'Change a lead (activity `lead.updated` with each changed field, old → new)',
        params: LeadParams,
        body: UpdateLeadBody,
        response: { 200: LeadItem, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { name, email, owner_user_id: ownerUserId, status, stage } = request.body;
      return updateLead(fastify.db, {
        actor: requireActor(request),
        leadId: request.params.id,
        changes: { name, email, ownerUserId, status, stage },
      });
    },
  );

  fastify.post(
    '/api/leads/:id/email/found',
    {
      schema: {
        operationId: 'recordEmailFound',
        tags: ['leads'],
        summary: "Record an address found for the lead; it becomes the lead's unverified email (activity `email.found`)",
        params: LeadParams,
        body: EmailFoundBody,
        response: { 200: LeadItem, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      recordEmailFound(fastify.db, {
        actor: requireActor(request),
        leadId: request.params.id,
        email: request.body.email,
        source: request.body.source,
      }),
  );

  fastify.post(
    '/api/leads/:id/email/verified',
    {
      schema: {
        operationId: 'recordEmailVerified',
        tags: ['leads'],
        summary: "Record the verification result of the lead's email (activity `email.verified`)",
        params: LeadParams,
        body: EmailVerifiedBody,
        response: { 200: LeadItem, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      recordEmailVerified(fastify.db, { actor: requireActor(request), leadId: request.params.id, result: request.body.result }),
  );
};

export default leadRoutes;
