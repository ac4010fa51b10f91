import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Ajv } from 'ajv';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { Config } from './config.ts';
import type { PrismaClient } from './db/prisma.ts';
import alertRules from './plugins/app/alert-rules.ts';
import apiKeyAuthPlugin from './plugins/app/api-key-auth.ts';
import authPlugin from './plugins/app/auth.ts';
import dbPlugin from './plugins/app/db.ts';
import errorHandler, { clientErrorHandler, frameworkErrors } from './plugins/app/error-handler.ts';
import inputGuard from './plugins/app/input-guard.ts';
import heavyReads from './plugins/app/heavy-reads.ts';
import housekeeping from './plugins/app/housekeeping.ts';
import mailer from './plugins/app/mailer.ts';
import { apiKeyResponses, declareSharedResponses, frameworkResponses, sessionResponses } from './plugins/app/shared-responses.ts';
import writeRateLimit from './plugins/external/rate-limit.ts';
import snoozeWaker from './plugins/app/snooze-waker.ts';
import streamPlugin from './plugins/app/stream.ts';
import { setAppBaseUrl } from './domain/links.ts';
import embedSessionRoutes from './routes/api/embed/index.ts';
import embedSecretRoutes from './routes/api/workspace/embed-secret.ts';
import securityHeaders from './plugins/external/security-headers.ts';
import swagger from './plugins/external/swagger.ts';
import webApp from './plugins/external/web-app.ts';
import activityRoutes from './routes/api/activity/index.ts';
import alertRuleRoutes from './routes/api/alert-rules/index.ts';
import adminRoutes from './routes/api/admin/index.ts';
import apiKeyRoutes from './routes/api/api-keys/index.ts';
import loginRoutes from './routes/api/auth/index.ts';
import campaignRoutes from './routes/api/campaigns/index.ts';
import eventRoutes from './routes/api/events/index.ts';
import inboundRoutes from './routes/api/inbound/index.ts';
import jobRoutes from './routes/api/jobs/index.ts';
import leadListRoutes from './routes/api/lead-lists/index.ts';
import leadRoutes from './routes/api/leads/index.ts';
import meRoutes from './routes/api/me/index.ts';
import preferenceRoutes from './routes/api/notification-preferences/index.ts';
import muteRoutes from './routes/api/notification-preferences/mutes.ts';
import notificationRoutes from './routes/api/notifications/index.ts';
import streamRoutes from './routes/api/notifications/stream.ts';
import playbookRunRoutes from './routes/api/playbook-runs/index.ts';
import taskRoutes from './routes/api/tasks/index.ts';
import activityRetentionRoutes from './routes/api/workspace/activity-retention.ts';
import workspaceRoutes from './routes/api/workspace/index.ts';
import embedRoutes from './routes/embed.ts';
import healthRoutes from './routes/health.ts';
import { isStorableDate } from './lib/dates.ts';
import { ErrorResponse } from './schemas/common.ts';
import type { StreamHubOptions } from './stream/options.ts';

export interface AppOptions {
  config: Config;
  prisma: PrismaClient;
  /** A pino logger (server.ts); tests run silent. */
  logger?: FastifyBaseLogger;
  /** Stream tuning (heartbeat, caps, backoff); the defaults suit production, tests shorten them. */
  stream?: Partial<StreamHubOptions>;
}

/** Builds the whole app without listening: server.ts listens, tests use it directly. */
export async function buildApp({ config, prisma, logger, stream }: AppOptions) {
  setAppBaseUrl(config.appBaseUrl);
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    clientErrorHandler,
    frameworkErrors,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    ajv: {
      // Unknown body fields are an error the caller should hear about, not something to drop.
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true },
      onCreate: restrictDateTimeFormat,
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addSchema(ErrorResponse);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(errorHandler);
  await app.register(inputGuard);
  await app.register(securityHeaders, { corsOrigins: config.corsOrigins });
  await app.register(swagger);
  declareSharedResponses(app, frameworkResponses);
  await app.register(dbPlugin, { prisma });
  await app.register(authPlugin);
  await app.register(heavyReads, { config });
  await app.register(housekeeping, {
    streamRetentionMs: config.stream.retentionMs,
    activityRetentionDays: config.activityRetentionDays,
    readNotificationRetentionDays: config.readNotificationRetentionDays,
  });
  await app.register(alertRules, { everyMs: config.alertEvaluationMs, rulesPerWorkspace: config.alertRulesPerWorkspace });
  await app.register(apiKeyAuthPlugin);
  await app.register(mailer, { config });
  await app.register(writeRateLimit, { config });
  if (!config.databaseUrl) throw new Error('config.databaseUrl is required: the stream LISTENs on that database.');
  const { heartbeatMs, maxStreamsPerUser } = config.stream;
  await app.register(streamPlugin, { databaseUrl: config.databaseUrl, database: config.database, stream: { heartbeatMs, maxStreamsPerUser, ...stream } });
  await app.register(snoozeWaker, { everyMs: config.snoozePollMs });

  await app.register(healthRoutes);
  await app.register(loginRoutes, { config });
  await app.register(embedSessionRoutes);
  // Everything else under /api needs a valid bearer token.
  await app.register(async (api) => {
    api.addHook('onRequest', api.authenticate);
    declareSharedResponses(api, sessionResponses);
    await api.register(meRoutes, { config });
    await api.register(activityRoutes, { exportRowsPerSecond: config.exportRowsPerSecond });
    await api.register(adminRoutes, { exportRowsPerSecond: config.exportRowsPerSecond });
    await api.register(notificationRoutes);
    await api.register(preferenceRoutes);
    await api.register(muteRoutes);
    await api.register(workspaceRoutes);
    await api.register(embedSecretRoutes);
    await api.register(leadRoutes);
    await api.register(leadListRoutes);
    await api.register(taskRoutes);
    await api.register(campaignRoutes);
    await api.register(jobRoutes);
    await api.register(playbookRunRoutes);
    await api.register(apiKeyRoutes);
    await api.register(alertRuleRoutes, { config });
    await api.register(activityRetentionRoutes, { config });
  });
  // The stream authenticates in its own scope: bearer token, or a single-use ticket for browsers.
  await app.register(streamRoutes);
  // Integration endpoints: a workspace API key instead of a user's session.
  await app.register(async (integrations) => {
    integrations.addHook('onRequest', integrations.authenticateApiKey);
    declareSharedResponses(integrations, apiKeyResponses);
    await integrations.register(eventRoutes);
    await integrations.register(inboundRoutes);
  });
  await app.register(embedRoutes, { demo: config.embedDemo });
  await app.register(webApp, { webRoot: config.webRoot });

  return app;
}

/** `date-time` as ajv-formats checks it, and within the years the database stores. */
function restrictDateTimeFormat(ajv: Ajv) {
  const standard = ajv.formats['date-time'];
  const valid =
    typeof standard === 'function'
      ? standard
      : standard && typeof standard === 'object' && 'validate' in standard && typeof standard.validate === 'function'
        ? (standard.validate as (value: string) => boolean)
        : (value: string) => !Number.isNaN(Date.parse(value));
  ajv.addFormat('date-time', { type: 'string', validate: (value: string) => valid(value) && isStorableDate(new Date(value)) });
}

export type App = Awaited<ReturnType<typeof buildApp>>;
