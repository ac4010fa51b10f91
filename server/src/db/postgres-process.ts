import { spawn, type ChildProcess } from 'node:child_process';
import { chown, unlink, writeFile } from 'node:fs/promises';

// Running the PostgreSQL binaries: initdb, the server until it is ready, and its shutdown.

/** A failure to start PostgreSQL, worded as the one line a person reads. */
export class EmbeddedPostgresError extends Error {}

export const SUPERUSER = 'postgres';
const READY_MESSAGE = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 60_000;

/** The system user's ids, when this process is root and PostgreSQL runs as that user. */
export interface Ids {
  uid: number;
  gid: number;
}

export interface Binaries {
  initdb: string;
  postgres: string;
}

function spawnAs(binary: string, args: string[], ids: Ids | undefined, options: { detached?: boolean } = {}): ChildProcess {
  // Messages in English whatever the machine's locale: readiness is read from the log.
  return spawn(binary, args, { ...ids, ...options, env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function initialise(bin: Binaries, dataDir: string, ids: Ids | undefined, password: string) {
  // initdb reads the superuser password from a file; beside the (still empty) cluster folder.
  const passwordFile = `${dataDir}.pwfile`;
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    if (ids) await chown(passwordFile, ids.uid, ids.gid);
    const args = [`--pgdata=${dataDir}`, '--auth=password', `--username=${SUPERUSER}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C'];
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

export function startServer(bin: Binaries, dataDir: string, port: number, ids: Ids | undefined, ownProcessGroup = false): Promise<ChildProcess> {
  const args = ['-D', dataDir, '-p', String(port), '-c', 'max_connections=300', '-c', 'fsync=on', '-c', 'lc_messages=C'];
  const child = spawnAs(bin.postgres, args, ids, { detached: ownProcessGroup && process.platform !== 'win32' });
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

export async function stopServer(child: ChildProcess) {
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

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
