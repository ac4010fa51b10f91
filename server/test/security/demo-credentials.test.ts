import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createPrismaClient } from '../../src/db/prisma.ts';
import { hashPassword } from '../../src/lib/passwords.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo-data.ts';
import { createTestDatabase } from '../helper.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** server.ts as an operator starts it: only the given environment (no HOST unless given). */
async function startServer(env: Record<string, string>) {
  const { HOST: _host, SEED_DEMO_DATA: _seed, DATABASE_URL: _url, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/server.ts'], {
    cwd: repoRoot,
    env: { ...inherited, PORT: '0', LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no Ready line in 60 s:\n${output}`)), 60_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const ready = /Ready: web app http:\/\/localhost:(\d+)\//.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve(Number(ready[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}:\n${output}`)));
  });
  return {
    port,
    output: () => output,
    stop: () => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM')))),
  };
}

const login = (port: number, host = '127.0.0.1') =>
  fetch(`http://${host}:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'super@demo.test', password: DEMO_PASSWORD }),
  }).then((response) => response.status);

describe('demo data and known credentials', () => {
  it('config: demo only on the embedded database or when asked; a demo listens on loopback unless HOST says otherwise', () => {
    expect(loadConfig({})).toMatchObject({ seedDemoData: true, host: '127.0.0.1' });
    expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/app' })).toMatchObject({ seedDemoData: false, host: '0.0.0.0' });
    expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/app', SEED_DEMO_DATA: 'true' })).toMatchObject({ seedDemoData: true, host: '127.0.0.1' });
    expect(loadConfig({ SEED_DEMO_DATA: 'false' })).toMatchObject({ seedDemoData: false, host: '0.0.0.0' });
    expect(loadConfig({ HOST: '0.0.0.0' })).toMatchObject({ seedDemoData: true, host: '0.0.0.0' });
    expect(() => loadConfig({ SEED_DEMO_DATA: 'yes please' })).toThrow(/SEED_DEMO_DATA=yes please is not valid/);
  });

  it('a server on DATABASE_URL has no known logins; a demo start logs no password and listens on loopback only', { timeout: 60_000 }, async () => {
    const [plain, demo] = await Promise.all([
      createTestDatabase().then((url) => startServer({ DATABASE_URL: url })),
      // Already seeded (seeding takes long): what matters here is how a demo start listens and logs.
      createTestDatabase().then(async (url) => {
        const db = createPrismaClient(url, 1);
        await db.workspace.create({ data: { name: 'Acme Sales', slug: 'acme' } });
        await db.user.create({ data: { email: 'super@demo.test', name: 'Sam Super', passwordHash: await hashPassword(DEMO_PASSWORD), isSuperAdmin: true } });
        await db.$disconnect();
        return startServer({ DATABASE_URL: url, SEED_DEMO_DATA: 'true' });
      }),
    ]);
    try {
      expect(await login(plain.port)).toBe(401);
      expect(await login(demo.port)).toBe(200);
      for (const server of [plain, demo]) expect(server.output()).not.toContain(DEMO_PASSWORD);
      const external = Object.values(os.networkInterfaces())
        .flat()
        .find((address) => address && address.family === 'IPv4' && !address.internal);
      if (external) {
        await expect(login(demo.port, external.address)).rejects.toThrow();
        expect(await login(plain.port, external.address)).toBe(401);
      }
    } finally {
      await Promise.all([plain.stop(), demo.stop()]);
    }
  });
});
