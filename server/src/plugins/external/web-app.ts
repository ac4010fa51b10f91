import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** What `/` shows on a checkout where the web app was never built, instead of a JSON 404. */
const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Tray Notify: web app not built</title></head>
<body>
<h1>Tray Notify</h1>
<p>The server and its API are running, but the web app has not been built on this machine.</p>
<p>Build it with <code>npm run build -w desktop</code> in the repository (or start everything with
<code>npm start</code>, which builds it), then reload this page.</p>
<p>API reference: <a href="/docs">/docs</a></p>
</body>
</html>
`;

/**
 * Serves the desktop app's windows as a web app at `/` (the built renderer), with
 * index.html for every other non-API path so client-side routes survive a reload.
 */
export default fp(
  async function webApp(fastify: FastifyInstance, options: { webRoot: string }) {
    const apiMiss = (request: FastifyRequest, reply: FastifyReply) =>
      reply.code(404).send({ error: 'not_found', message: `No route GET ${request.url.split('?')[0]}.` });

    if (!existsSync(path.join(options.webRoot, 'index.html'))) {
      fastify.log.info({ webRoot: options.webRoot }, 'web app not built (npm run build -w desktop): `/` says how to get it');
      fastify.get('/*', { schema: { hide: true } }, (request, reply) =>
        request.url.startsWith('/api/') ? apiMiss(request, reply) : reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE),
      );
      return;
    }
    await fastify.register(fastifyStatic, { root: options.webRoot, wildcard: false, index: ['index.html'] });
    // The embeddable bell is loaded by host pages on other origins: helmet's same-origin
    // resource policy would block it there.
    fastify.addHook('onSend', async (request, reply) => {
      if (request.url.startsWith('/embed/bell.js')) reply.header('cross-origin-resource-policy', 'cross-origin');
    });
    fastify.get('/*', { schema: { hide: true } }, (request, reply) =>
      request.url.startsWith('/api/') ? apiMiss(request, reply) : reply.sendFile('index.html'),
    );
  },
  { name: 'web-app' },
);
