import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Serves the desktop app's windows as a web app at `/` (the built renderer), with
 * index.html for every other non-API path so client-side routes survive a reload.
 */
export default fp(
  async function webApp(fastify: FastifyInstance, options: { webRoot: string }) {
    const index = path.join(options.webRoot, 'index.html');
    if (!existsSync(index)) {
      fastify.log.info({ webRoot: options.webRoot }, 'web app not built (npm run build:web): serving the API only');
      return;
    }
    await fastify.register(fastifyStatic, { root: options.webRoot, wildcard: false, index: ['index.html'] });
    // The embeddable bell is loaded by host pages on other origins: helmet's same-origin
    // resource policy would block it there.
    fastify.addHook('onSend', async (request, reply) => {
      if (request.url.startsWith('/embed/bell.js')) reply.header('cross-origin-resource-policy', 'cross-origin');
    });
    fastify.get('/*', { schema: { hide: true } }, (request, reply) => {
      if (request.url.startsWith('/api/')) {
        return reply.code(404).send({ error: 'not_found', message: `No route GET ${request.url.split('?')[0]}.` });
      }
      return reply.sendFile('index.html');
    });
  },
  { name: 'web-app' },
);
