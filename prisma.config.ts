// Prisma CLI configuration. The JS engine + driver adapter path runs the Wasm schema engine,
// so `prisma migrate deploy` and `prisma migrate diff` work without downloading native engines.
import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { defineConfig } from 'prisma/config';
import { pgConfigFromUrl } from './server/src/db/connection.ts';

const PG_CHAR = 18;
const PG_TEXT = 25;
/** ColumnTypeEnum.Character of @prisma/driver-adapter-utils. */
const CHARACTER_COLUMN = 6;

type Adapter = Awaited<ReturnType<PrismaPg['connect']>>;
type Query = Parameters<Adapter['queryRaw']>[0];

/**
 * Lets the adapter read PostgreSQL's one-byte `"char"` columns. The schema engine reads the
 * catalog's `"char"` columns (relkind, contype, ...) when it describes a database, as
 * `migrate diff --from-migrations` does with its shadow database, and @prisma/adapter-pg
 * refuses that type ("Column type 'char' could not be deserialized"): it is reported to the
 * engine as the single character it is.
 */
function readCharColumns(adapter: Adapter): Adapter {
  const io = adapter as unknown as { performIO(query: Query): Promise<pg.QueryResult> };
  const performIO = io.performIO.bind(adapter);
  const queryRaw = adapter.queryRaw.bind(adapter);
  const charColumns = new WeakMap<Query, number[]>();
  io.performIO = async (query) => {
    const result = await performIO(query);
    const found = result.fields.flatMap((field, index) => (field.dataTypeID === PG_CHAR ? [index] : []));
    for (const index of found) result.fields[index]!.dataTypeID = PG_TEXT;
    if (found.length > 0) charColumns.set(query, found);
    return result;
  };
  adapter.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const index of charColumns.get(query) ?? []) result.columnTypes[index] = CHARACTER_COLUMN as never;
    return result;
  };
  return adapter;
}

/**
 * adapter-pg runs a migration script by splitting it on every `;` and sending the pieces one
 * by one, which cuts function and trigger bodies apart. Here the script goes to PostgreSQL
 * whole, as the native engine sends it: one simple query on its own connection, which
 * PostgreSQL also runs as one transaction, so a failing migration leaves nothing half-applied.
 */
function wholeScripts(adapter: Adapter, config: pg.ClientConfig): Adapter {
  adapter.executeScript = async (script: string) => {
    const client = new pg.Client(config);
    await client.connect();
    try {
      await client.query(script);
    } catch (error) {
      // The adapter's own handler turns a pg error into the engine's error type.
      (adapter as unknown as { onError(error: unknown): never }).onError(error);
    } finally {
      await client.end();
    }
  };
  return adapter;
}

/**
 * PrismaPg whose shadow database (used by `migrate diff --from-migrations`) can be dropped:
 * @prisma/adapter-pg 7.x drops it while its own pool still holds a connection to it, which
 * PostgreSQL refuses ("is being accessed by other users"). Here the pool ends first.
 */
class PrismaPgWithShadow extends PrismaPg {
  constructor(private readonly pgConfig: pg.PoolConfig) {
    super(pgConfig);
  }

  override async connect() {
    return wholeScripts(readCharColumns(await super.connect()), this.pgConfig);
  }

  override async connectToShadowDb() {
    const main = await this.connect();
    const database = `prisma_migrate_shadow_db_${randomUUID()}`;
    await main.executeScript(`CREATE DATABASE "${database}"`);
    const shadow = wholeScripts(readCharColumns(await new PrismaPg({ ...this.pgConfig, database }).connect()), {
      ...this.pgConfig,
      database,
    });
    // The engine applies each migration file to the shadow database as one executeRaw, which
    // the adapter sends as a prepared statement: PostgreSQL refuses several commands in one.
    // A migration has no parameters, so it goes through the simple protocol instead.
    const executeRaw = shadow.executeRaw.bind(shadow);
    shadow.executeRaw = async (query) => {
      if (query.args.length > 0) return executeRaw(query);
      await shadow.executeScript(query.sql);
      return 0;
    };
    const closeShadow = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await closeShadow();
      await main.executeScript(`DROP DATABASE "${database}"`);
      await main.dispose();
    };
    return shadow;
  }
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  engine: 'js',
  experimental: { adapter: true },
  adapter: async () => {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set: export it, or run through `npm run db:migrate`.');
    return new PrismaPgWithShadow(pgConfigFromUrl(url));
  },
});
