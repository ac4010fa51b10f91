import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { boundedPoolConfig, type DatabaseBounds } from '../../db/bounded-client.ts';
import { APPLICATION_NAME } from '../../db/prisma.ts';
import { viewersUnreadCounts } from '../../services/notifications/unread-count.ts';
import { StreamHub } from '../../stream/hub.ts';
import type { StreamHubOptions } from '../../stream/options.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** This process's live notification streams and its LISTEN connection. */
    streamHub: StreamHub;
  }
}

export interface StreamPluginOptions {
  /** The database the Prisma client uses: the hub holds its own connections to it (LISTEN, reads). */
  databaseUrl: string;
  /** The server's database bounds: its reads and its LISTEN connection are bounded like every other pool's. */
  database: DatabaseBounds;
  stream?: Partial<StreamHubOptions>;
}

export default fp(
  async function streamPlugin(fastify: FastifyInstance, options: StreamPluginOptions) {
    const pgConfig = boundedPoolConfig(options.databaseUrl, options.database, `${APPLICATION_NAME} stream`);
    const hub = new StreamHub(pgConfig, viewersUnreadCounts, fastify.log, options.stream);
    await hub.start();
    fastify.decorate('streamHub', hub);
    // Open streams would keep the HTTP server from closing: end them before it waits for requests.
    fastify.addHook('preClose', async () => hub.closeStreams());
    fastify.addHook('onClose', async () => hub.close());
  },
  { name: 'stream-hub', dependencies: ['db'] },
);
