// Starts the real server (Fastify + embedded PostgreSQL in a temporary DATA_DIR, demo data
// seeded) on free ports, serving the freshly built renderer; returns the teardown.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '../../..');
const DESKTOP = path.resolve(here, '../..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, child: { exitCode: number | null }, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${log()}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the server was not ready within ${timeoutMs / 1000} s:\n${log()}`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!fs.existsSync(path.join(DESKTOP, 'dist/web/index.html'))) {
    throw new Error('desktop/dist/web is not built: run `npm run build:web` first (npm run test:e2e does).');
  }
  // Under the system temp dir: PostgreSQL runs as the `postgres` user when we are root,
  // and needs every parent folder traversable.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tray-e2e-'));
  fs.chmodSync(dataDir, 0o755);
  const [port, pgPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), ['server/src/server.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PG_PORT: String(pgPort),
      DATA_DIR: dataDir,
      WEB_ROOT: path.join(DESKTOP, 'dist/web'),
      LOG_LEVEL: 'warn',
      // The fake host page for the embedded bell.
      EMBED_DEMO: 'true',
      // Every spec logs in (and the bell signs in) from this one address.
      LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '10000',
      RATE_LIMIT_ANONYMOUS_WRITES_PER_ADDRESS: '10000',
      // Alert rules are evaluated every second: an alert reaches the bell within the test's patience.
      ALERT_EVALUATION_SECONDS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  try {
    await waitReady(url, child, () => output, 180_000);
  } catch (err) {
    child.kill('SIGTERM');
    throw err;
  }
  process.env.E2E_BASE_URL = url;

  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
