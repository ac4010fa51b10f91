/**
 * Entry point: configuration, logger, database (embedded or DATABASE_URL), migrations, demo
 * data on first run, then listen; Ctrl-C closes the server and the embedded PostgreSQL.
 */
import { ConfigError, loadConfig } from './config.ts';
import { buildApp } from './app.ts';
import { prepareDatabase } from './db/prepare-database.ts';
import { createPrismaClient } from './db/prisma.ts';
import { DEMO_USERS, seedDemoData } from './seed/demo-data.ts';
import { createLogger } from './logger.ts';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const log = (message: string) => logger.info(message);

  const database = await prepareDatabase(config, log);
  const prisma = createPrismaClient(database.url, config.database.poolSize, config.database);
  if (config.seedDemoData) await seedDemoData(prisma, log);

  // The stream's LISTEN connection needs the URL the database was actually started on.
  const app = await buildApp({ config: { ...config, databaseUrl: database.url }, prisma, logger });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    await app.close().catch((error) => logger.error({ err: error }, 'closing the server failed'));
    await prisma.$disconnect();
    await database.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    logger.error(
      code === 'EADDRINUSE'
        ? `Port ${config.port} is in use: stop the other server or set PORT to a free port.`
        : `Could not listen: ${String(error)}`,
    );
    await prisma.$disconnect();
    await database.stop();
    process.exit(1);
  }
  const url = `http://localhost:${(app.server.address() as { port: number }).port}`;
  // The demo password is in the README, never in a log.
  logger.info(
    `Ready: web app ${url}/  API docs ${url}/docs` +
      (config.seedDemoData ? `  —  demo logins (README, "Demo logins"): ${DEMO_USERS.map((user) => user.email).join(', ')}` : ''),
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
