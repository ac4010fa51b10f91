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

let server = null;
let download = null;
let app = null;
let stopping = false;

/**
 * The Electron binary, downloading it on first launch the way the `electron` package does (its
 * install script is not run). The download runs as a child, never blocking: Ctrl-C during it
 * (it can hang for minutes where GitHub is unreachable) still stops everything at once.
 */
async function electronBinary() {
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
  await new Promise((resolve) => {
    download = spawn(process.execPath, [path.join(pkgDir, 'install.js')], { stdio: 'ignore', timeout: 300_000 });
    download.on('exit', resolve);
    download.on('error', resolve);
  });
  download = null;
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

// The server runs in a process group of its own, signalled as a whole: npm does not pass
// SIGTERM on to the server it runs, which would be left running with its PostgreSQL.
function stopServer() {
  if (!server || server.exitCode !== null) return;
  if (process.platform === 'win32') server.kill('SIGTERM');
  else process.kill(-server.pid, 'SIGTERM');
}

/** Ctrl-C or SIGTERM: stop whatever runs, and exit once the server has shut down. */
function onSignal() {
  stopping = true;
  download?.kill('SIGTERM');
  app?.kill('SIGTERM');
  stopServer();
  if (!server || server.exitCode !== null) process.exit(0);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

if (!fs.existsSync(path.join(desktop, 'dist/web/index.html')) || !fs.existsSync(path.join(desktop, 'dist/main/index.js'))) {
  const build = spawnSync(npm, ['run', 'build'], { cwd: desktop, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

if (withServer) {
  server = spawn(npm, ['run', 'server'], { cwd: root, stdio: 'inherit', detached: process.platform !== 'win32' });
  // Without the tray app (none here, or still looking for it), the launcher lives as long as its server.
  server.on('exit', (code) => {
    if (stopping || !app) process.exit(code ?? 0);
  });
  try {
    await waitReady(webUrl, server, 180_000);
  } catch (err) {
    console.error(String(err instanceof Error ? err.message : err));
    stopServer();
    process.exit(1);
  }
}

const electron = await electronBinary();
if (stopping) {
  // Stopping: the server's exit ends the launcher.
} else if (!electron) {
  console.log(
    `Electron could not be started here (no Electron binary: it is downloaded on install from GitHub, which this machine cannot reach); the web app is at ${webUrl}/`,
  );
  if (!server) process.exit(0);
} else {
  app = spawn(electron, [desktop], { stdio: 'inherit' });
  // Quitting the tray app stops the server too, and the launcher ends once both have.
  app.on('exit', (code) => {
    if (stopping) return; // a signal is stopping everything: the server's exit ends the launcher
    stopServer();
    if (!server || server.exitCode !== null) process.exit(code ?? 0);
    server.once('exit', () => process.exit(code ?? 0));
  });
}
