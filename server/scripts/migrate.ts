/** `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database. */
import { loadConfig } from '../src/config.ts';
import { prepareDatabase } from '../src/db/prepare-database.ts';

try {
  const database = await prepareDatabase(loadConfig(), (message) => console.log(message));
  console.log('database is up to date');
  await database.stop();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
