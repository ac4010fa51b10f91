import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Security headers for the API and the web app (same origin, so CORS stays closed unless
 * CORS_ORIGINS names other origins).
 */
export default fp(
  async function securityHeaders(fastify: FastifyInstance, options: { corsOrigins: string[] }) {
    await fastify.register(helmet, {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          mediaSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          // Servers on a LAN often run plain HTTP: upgrading would break every request.
          upgradeInsecureRequests: null,
        },
      },
    });
    if (options.corsOrigins.length > 0) {
      await fastify.register(cors, { origin: options.corsOrigins, exposedHeaders: ['retry-after'] });
    }
  },
  { name: 'security-headers' },
);
