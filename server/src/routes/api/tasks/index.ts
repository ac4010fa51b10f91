import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../../../plugins/app/auth.ts';
import { errorResponses, Uuid } from '../../../schemas/common.ts';
import { CreateTaskBody, TaskItem } from '../../../schemas/tasks.ts';
import { completeTask } from '../../../services/tasks/complete-task.ts';
import { createTask } from '../../../services/tasks/create-task.ts';

const taskRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/api/tasks',
    {
      schema: {
        operationId: 'createTask',
        tags: ['tasks'],
        summary: 'Create a task on a lead and assign it to a member (activity `task.created`; `task_assigned` to the assignee)',
        body: CreateTaskBody,
        response: { 201: TaskItem, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { lead_id: leadId, title, assignee_user_id: assigneeUserId, due_at: dueAt } = request.body;
      const task = await createTask(fastify.db, {
        actor: requireActor(request),
        leadId,
        title,
        assigneeUserId,
        dueAt: dueAt === undefined ? undefined : new Date(dueAt),
      });
      return reply.code(201).send(task);
    },
  );

  fastify.post(
    '/api/tasks/:id/complete',
    {
      schema: {
        operationId: 'completeTask',
        tags: ['tasks'],
        summary: 'Complete a task: assignee, creator or admin (activity `task.completed`; `task_completed` to the creator)',
        params: Type.Object({ id: Uuid }),
        response: { 200: TaskItem, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => completeTask(fastify.db, { actor: requireActor(request), taskId: request.params.id }),
  );
};

export default taskRoutes;
