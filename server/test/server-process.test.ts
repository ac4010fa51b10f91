import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from './global-setup.ts';
import { createTestDatabase } from './helper.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** `npm run server` without npm: the server's own process, its output and exit code. */
function runServer(env: Record<string, string>, options: { ownProcessGroup?: boolean } = {}) {
  // Node with tsx's loader, not the tsx CLI: the CLI relays signals to a child process and may
  // exit by the signal itself, which would hide the server's own exit code.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/server.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_FORMAT: 'json', SEED_DEMO_DATA: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownProcessGroup ?? false,
  });
  const result = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (result.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (result.stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = async () => {
    while (!result.stdout.includes('Ready: web app')) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}: ${result.stdout}${result.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  return { child, result, exit, ready };
}

describe('the server process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('exits with code 0 on %s', async (signal) => {
    const server = runServer({ DATABASE_URL: await createTestDatabase() });
    await server.ready();
    server.child.kill(signal);
    const code = await server.exit;
    expect(code, server.result.stdout.slice(-3000) + server.result.stderr.slice(-2000)).toBe(0);
    expect(server.result.stdout).toContain('shutting down');
  });

  it('stops in order on a terminal Ctrl-C (the whole process group): no warning logged, its PostgreSQL gone', async () => {
    const pgPort = await freePort();
    const dataDir = await mkdtemp(path.join(tmpdir(), 'tn-ctrl-c-'));
    await chmod(dataDir, 0o755); // reachable by the postgres user when the tests run as root
    const server = runServer({ DATA_DIR: dataDir, PG_PORT: String(pgPort), DATABASE_URL: '' }, { ownProcessGroup: true });
    await server.ready();
    process.kill(-server.child.pid!, 'SIGINT');
    const output = () => server.result.stdout.slice(-3000) + server.result.stderr.slice(-2000);
    expect(await server.exit, output()).toBe(0);
    const complaints = server.result.stdout.split('\n').filter((line) => /"level":(40|50|60)/.test(line));
    expect(complaints, output()).toEqual([]);
    const listening = await new Promise<boolean>((resolve) => {
      const socket = connect(pgPort, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    expect(listening).toBe(false);
    await rm(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('stops a start that cannot use its data folder with one readable line and exit code 1', async () => {
    const notAFolder = path.join(await mkdtemp(path.join(tmpdir(), 'tn-bad-data-')), 'a-file');
    await writeFile(notAFolder, '');
    const server = runServer({ DATA_DIR: notAFolder, PG_PORT: String(await freePort()), DATABASE_URL: '' });
    expect(await server.exit).toBe(1);
    const lines = `${server.result.stdout}${server.result.stderr}`.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(notAFolder);
    expect(lines[0]).toMatch(/DATA_DIR/);
  });
});
