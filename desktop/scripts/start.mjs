// `npm start` (desktop): launches the tray app. With --with-server it first starts the server
// (npm run server at the repository root) and waits until it is ready.
// Where no Electron binary exists (it is downloaded at install from GitHub), says so in one
// line, keeps the server running and points to the web app instead.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const desktop = path.resolve(import.meta.dirname, '..');
const root = path.resolve(desktop, '..');
const withServer = process.argv.includes('--with-server');
const webUrl = process.env.SERVER_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The Electron binary, downloading it on first launch the way the `electron` package does (its install script is not run). */
function electronBinary() {
  let pkgDir;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const locate = () => {
    const pathFile = path.join(pkgDir, 'path.txt');
    if (!fs.existsSync(pathFile)) return null;
    const rel = fs.readFileSync(pathFile, 'utf8');
    const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(pkgDir, 'dist');
    const bin = path.join(dist, rel);
    return fs.existsSync(bin) ? bin : null;
  };
  if (locate()) return locate();
  // Quietly try the download (works with internet access); its errors are summarised by our one line.
  spawnSync(process.execPath, [path.join(pkgDir, 'install.js')], { stdio: 'ignore', timeout: 300_000 });
  return locate();
}

async function waitReady(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the server was not ready at ${url} within ${timeoutMs / 1000} s`);
}

if (!fs.existsSync(path.join(desktop, 'dist/web/index.html')) || !fs.existsSync(path.join(desktop, 'dist/main/index.js'))) {
  const build = spawnSync(npm, ['run', 'build'], { cwd: desktop, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

let server = null;
// The server runs in a process group of its own, signalled as a whole: npm does not pass
// SIGTERM on to the server it runs, which would be left running with its PostgreSQL.
const stop = () => {
  if (!server || server.exitCode !== null) return;
  if (process.platform === 'win32') server.kill('SIGTERM');
  else process.kill(-server.pid, 'SIGTERM');
};
if (withServer) {
  server = spawn(npm, ['run', 'server'], { cwd: root, stdio: 'inherit', detached: process.platform !== 'win32' });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    await waitReady(webUrl, server, 180_000);
  } catch (err) {
    console.error(String(err instanceof Error ? err.message : err));
    stop();
    process.exit(1);
  }
}

const electron = electronBinary();
if (!electron) {
  console.log(
    `Electron could not be started here (no Electron binary: it is downloaded on install from GitHub, which this machine cannot reach); the web app is at ${webUrl}/`,
  );
  if (server) server.on('exit', (code) => process.exit(code ?? 0));
  else process.exit(0);
} else {
  const app = spawn(electron, [desktop], { stdio: 'inherit' });
  app.on('exit', (code) => {
    stop();
    process.exit(code ?? 0);
  });
}
