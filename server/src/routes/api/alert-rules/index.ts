import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../../../config.ts';
import { requireAuth, requireWorkspaceAdmin } from '../../../plugins/app/auth.ts';
import { AlertRuleItem, AlertRuleListQuery, CreateAlertRuleBody, UpdateAlertRuleBody } from '../../../schemas/alert-rules.ts';
import { errorResponses, Uuid } from '../../../schemas/common.ts';
import {
  createAlertRule,
  deleteAlertRule,
  listAlertRules,
  updateAlertRule,
  type RuleFields,
  type RuleManager,
} from '../../../services/alert-rules/manage-alert-rules.ts';

/** Super admins manage every rule; workspace admins those of their current workspace; others get 403. */
function ruleManager(request: FastifyRequest): RuleManager {
  const auth = requireAuth(request);
  if (auth.user.isSuperAdmin) return { userId: auth.user.id, name: auth.user.name, isSuperAdmin: true, workspaceId: auth.workspaceId };
  const actor = requireWorkspaceAdmin(request);
  return { userId: actor.userId, name: actor.name, isSuperAdmin: false, workspaceId: actor.workspaceId };
}

function ruleFields(body: Partial<CreateAlertRuleBody>): Partial<RuleFields> {
  return {
    name: body.name,
    types: body.types,
    minSeverity: body.min_severity,
    threshold: body.threshold,
    windowMinutes: body.window_minutes,
    notify: body.notify && { roles: body.notify.roles ?? [], user_ids: body.notify.user_ids ?? [], super_admins: body.notify.super_admins ?? false },
    channels: body.channels,
  };
}

const Params = Type.Object({ id: Uuid });

const alertRuleRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (fastify, { config }) => {
  fastify.get(
    '/api/alert-rules',
    {
      schema: {
        tags: ['alert-rules'],
        operationId: 'listAlertRules',
        summary: 'Alert rules: of the current workspace (admins), or all of them (super admins, optionally of one workspace)',
        querystring: AlertRuleListQuery,
        response: { 200: Type.Object({ items: Type.Array(AlertRuleItem) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ items: await listAlertRules(fastify.db, ruleManager(request), { workspaceId: request.query.workspace_id }) }),
  );

  fastify.post(
    '/api/alert-rules',
    {
      schema: {
        tags: ['alert-rules'],
        operationId: 'createAlertRule',
        summary: 'Create a rule: notify people when `threshold` entries of `types` arrive within `window_minutes` (audited)',
        description: 'A workspace keeps at most ALERT_RULES_PER_WORKSPACE rules (409 `alert_rule_limit` beyond); `types` cannot include `alert_rule.triggered`.',
        body: CreateAlertRuleBody,
        response: { 201: AlertRuleItem, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const fields = ruleFields(request.body) as RuleFields;
      const rule = await createAlertRule(
        fastify.db,
        ruleManager(request),
        { ...fields, minSeverity: fields.minSeverity ?? null, channels: fields.channels ?? ['in_app'], workspaceId: request.body.workspace_id },
        { rulesPerWorkspace: config.alertRulesPerWorkspace },
      );
      return reply.code(201).send(rule);
    },
  );

  fastify.patch(
    '/api/alert-rules/:id',
    {
      schema: {
        tags: ['alert-rules'],
        operationId: 'updateAlertRule',
        summary: 'Change a rule (audited with old → new of each field)',
        params: Params,
        body: UpdateAlertRuleBody,
        response: { 200: AlertRuleItem, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => updateAlertRule(fastify.db, ruleManager(request), request.params.id, ruleFields(request.body)),
  );

  fastify.delete(
    '/api/alert-rules/:id',
    {
      schema: {
        tags: ['alert-rules'],
        operationId: 'deleteAlertRule',
        summary: 'Delete a rule (audited)',
        params: Params,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteAlertRule(fastify.db, ruleManager(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};

export default alertRuleRoutes;
