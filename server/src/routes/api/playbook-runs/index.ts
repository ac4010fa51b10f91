import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../../plugins/app/auth.ts';
import { errorResponses, Uuid } from '../../../schemas/common.ts';
import { CompletePlaybookRunBody, FailBody, PlaybookRunItem, StartPlaybookRunBody } from '../../../schemas/jobs.ts';
import { completePlaybookRun } from '../../../services/playbooks/complete-playbook-run.ts';
import { failPlaybookRun } from '../../../services/playbooks/fail-playbook-run.ts';
import { startPlaybookRun } from '../../../services/playbooks/start-playbook-run.ts';

const RunParams = Type.Object({ id: Uuid });

const playbookRunRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/api/playbook-runs',
    {
      schema: {
        operationId: 'startPlaybookRun',
        tags: ['playbooks'],
        summary: 'Start a playbook run and its job (activity `playbook.run`)',
        body: StartPlaybookRunBody,
        response: { 201: PlaybookRunItem, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await startPlaybookRun(fastify.db, { actor: requireActor(request), playbookName: request.body.playbook_name })),
  );

  fastify.post(
    '/api/playbook-runs/:id/complete',
    {
      schema: {
        operationId: 'completePlaybookRun',
        tags: ['playbooks'],
        summary: 'Report a run completed (activity `playbook.completed`; `playbook_completed` to the admins)',
        params: RunParams,
        body: CompletePlaybookRunBody,
        response: { 200: PlaybookRunItem, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      completePlaybookRun(fastify.db, {
        actor: requireActor(request),
        runId: request.params.id,
        leadsAdded: request.body.leads_added,
        leadsSkipped: request.body.leads_skipped,
      }),
  );

  fastify.post(
    '/api/playbook-runs/:id/fail',
    {
      schema: {
        operationId: 'failPlaybookRun',
        tags: ['playbooks'],
        summary: 'Report a run failed (critical activity `playbook.failed`; `playbook_failed` to the admins)',
        params: RunParams,
        body: FailBody,
        response: { 200: PlaybookRunItem, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      failPlaybookRun(fastify.db, { actor: requireActor(request), runId: request.params.id, error: request.body.error }),
  );
};

export default playbookRunRoutes;
