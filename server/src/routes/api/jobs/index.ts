import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../../plugins/app/auth.ts';
import { errorResponses, Uuid } from '../../../schemas/common.ts';
import { CompleteJobBody, CreateJobBody, FailBody, JobItem } from '../../../schemas/jobs.ts';
import { completeJob } from '../../../services/jobs/complete-job.ts';
import { createJob } from '../../../services/jobs/create-job.ts';
import { failJob } from '../../../services/jobs/fail-job.ts';

const JobParams = Type.Object({ id: Uuid });

const jobRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/api/jobs',
    {
      schema: {
        operationId: 'createJob',
        tags: ['jobs'],
        summary: 'Start a background job (activity `job.created`)',
        body: CreateJobBody,
        response: { 201: JobItem, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await createJob(fastify.db, { actor: requireActor(request), kind: request.body.kind, description: request.body.description }),
      ),
  );

  fastify.post(
    '/api/jobs/:id/complete',
    {
      schema: {
        operationId: 'completeJob',
        tags: ['jobs'],
        summary: 'Report a running job finished (activity `job.completed`)',
        params: JobParams,
        body: CompleteJobBody,
        response: { 200: JobItem, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      completeJob(fastify.db, { actor: requireActor(request), jobId: request.params.id, result: request.body?.result }),
  );

  fastify.post(
    '/api/jobs/:id/fail',
    {
      schema: {
        operationId: 'failJob',
        tags: ['jobs'],
        summary: 'Report a running job failed (critical activity `job.failed`; `job_failed` to the admins)',
        params: JobParams,
        body: FailBody,
        response: { 200: JobItem, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => failJob(fastify.db, { actor: requireActor(request), jobId: request.params.id, error: request.body.error }),
  );
};

export default jobRoutes;
