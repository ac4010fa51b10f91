import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');

/** Runs the Prisma CLI (Wasm engines, see prisma.config.ts) against the given database. */
export function runPrisma(args: string[], databaseUrl: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCli, ...args], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`prisma ${args.join(' ')} failed (exit ${code}):\n${output}`)),
    );
  });
}

/** Applies every migration in prisma/migrations that the database has not had yet. */
export function migrateDatabase(databaseUrl: string): Promise<string> {
  return runPrisma(['migrate', 'deploy'], databaseUrl);
}
