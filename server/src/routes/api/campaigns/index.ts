import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../../plugins/app/auth.ts';
import {
  CampaignItem,
  CampaignOutcomeBody,
  CampaignOutcomeItem,
  CreateCampaignBody,
  SendCampaignBody,
} from '../../../schemas/campaigns.ts';
import { errorResponses, Uuid } from '../../../schemas/common.ts';
import { createCampaign } from '../../../services/campaigns/create-campaign.ts';
import { recordCampaignOutcome } from '../../../services/campaigns/record-campaign-outcome.ts';
import { sendCampaign } from '../../../services/campaigns/send-campaign.ts';

const CampaignParams = Type.Object({ id: Uuid });

const campaignRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/api/campaigns',
    {
      schema: {
        operationId: 'createCampaign',
        tags: ['campaigns'],
        summary: 'Create a draft campaign',
        body: CreateCampaignBody,
        response: { 201: CampaignItem, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const campaign = await createCampaign(fastify.db, {
        actor: requireActor(request),
        name: request.body.name,
        ownerUserId: request.body.owner_user_id,
      });
      return reply.code(201).send(campaign);
    },
  );

  fastify.post(
    '/api/campaigns/:id/send',
    {
      schema: {
        operationId: 'sendCampaign',
        tags: ['campaigns'],
        summary: 'Send the campaign to leads, once (activity `campaign.sent`)',
        params: CampaignParams,
        body: SendCampaignBody,
        response: { 200: CampaignItem, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      sendCampaign(fastify.db, { actor: requireActor(request), campaignId: request.params.id, leadIds: request.body.lead_ids }),
  );

  fastify.post(
    '/api/campaigns/:id/outcomes',
    {
      schema: {
        operationId: 'recordCampaignOutcome',
        tags: ['campaigns'],
        summary: 'Record what happened with one recipient (activity `campaign.outcome`; replies and meetings notify the owner)',
        params: CampaignParams,
        body: CampaignOutcomeBody,
        response: { 200: CampaignOutcomeItem, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      recordCampaignOutcome(fastify.db, {
        actor: requireActor(request),
        campaignId: request.params.id,
        leadId: request.body.lead_id,
        outcome: request.body.outcome,
      }),
  );
};

export default campaignRoutes;
