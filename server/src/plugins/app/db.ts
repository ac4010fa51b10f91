import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { PrismaClient } from '../../db/prisma.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: PrismaClient;
  }
}

/** Exposes the Prisma client. Its lifetime belongs to whoever created it (server.ts, tests). */
export default fp(
  async function dbPlugin(fastify: FastifyInstance, options: { prisma: PrismaClient }) {
    fastify.decorate('db', options.prisma);
  },
  { name: 'db' },
);
