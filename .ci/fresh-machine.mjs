// The README's quick start where new users put a checkout, run by .ci/run:
//   - as root, in a private (0700) folder whose path has a space (every root home is 0700),
//     with `npm start`;
//   - as a normal user in their home folder (created when missing), with `npm run server`.
// Each: a fresh clone of this repository (its committed HEAD), the installed node_modules
// hard-linked in instead of `npm ci` (its postinstall is run), then: `/` answers HTML and
// `/readyz` 200, a change is made, Ctrl-C stops everything with exit code 0, a second start
// keeps the data, SIGTERM stops it with 0. As root, an unusable DATA_DIR must stop the start
// with one readable line and exit code 1.
// Results go to test-results/fresh-machine.json, which .ci/test-summary.mjs counts.
//   node .ci/fresh-machine.mjs
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '..');
const reportFile = path.join(repo, 'test-results', 'fresh-machine.json');
const isRoot = process.getuid?.() === 0;
const NORMAL_USER = 'tn-fresh';
const report = { checks: [], finished: false };
const cleanups = [];

function save() {
  mkdirSync(path.dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
}

async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    report.checks.push({ name, ok: true });
    console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    report.checks.push({ name, ok: false, detail });
    console.log(`FAIL ${name}: ${detail}`);
  }
  save();
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${(result.stderr || result.stdout || '').trim().split('\n').slice(-3).join(' | ')}`);
  return result.stdout;
}

/** A started server: its output so far, its exit, and a way to stop it like a terminal would. */
function start(checkout, command, env, user) {
  // A process group of its own: Ctrl-C in a terminal signals the whole group.
  const child = spawn('npm', command, {
    cwd: checkout,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...user,
  });
  const server = { output: '', exitCode: undefined };
  child.stdout.on('data', (chunk) => (server.output += chunk));
  child.stderr.on('data', (chunk) => (server.output += chunk));
  // 'close': every process holding its output has ended (npm may exit before the server it runs).
  server.exited = new Promise((resolve) => child.on('close', (code, signal) => resolve((server.exitCode = code ?? signal))));
  // Resolves with the exit code, or throws when something still held on after timeoutMs and
  // had to be killed (a launcher stuck in a blocking call ignores Ctrl-C).
  server.signal = async (signal, timeoutMs = 30_000) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }, timeoutMs);
    const code = await server.exited;
    clearTimeout(timer);
    if (killed && signal !== 'SIGKILL') throw new Error(`still running ${timeoutMs / 1000} s after ${signal}; killed: ${tail(server.output)}`);
    return code;
  };
  cleanups.push(() => server.exitCode === undefined && server.signal('SIGKILL'));
  return server;
}

async function waitReady(server, base, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== undefined) throw new Error(`exited with ${server.exitCode}: ${tail(server.output)}`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`not ready within ${timeoutMs / 1000} s: ${tail(server.output)}`);
}

function tail(output) {
  return output.trim().split('\n').slice(-4).join(' | ');
}

async function api(base, method, url, token, body) {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert(response.ok, `${method} ${url} answered ${response.status}`);
  return response.json();
}

async function unreadCount(base) {
  const { token } = await api(base, 'POST', '/api/auth/login', undefined, { email: 'admin@acme.test', password: 'demo-password' });
  return { token, count: (await api(base, 'GET', '/api/notifications/unread-count', token)).count };
}

/** Clones and installs as a new user would, then runs the README's start twice. */
async function scenario({ title, checkout, user, command, port, pgPort, expectDataIn }) {
  const env = { PORT: String(port), PG_PORT: String(pgPort), HOST: '127.0.0.1', LOG_FORMAT: 'json' };
  const as = user ? { uid: user.uid, gid: user.gid } : {};
  if (user) env.HOME = user.home;
  const base = `http://127.0.0.1:${port}`;
  let ready = false;

  await check(`${title}: clone and install`, () => {
    mkdirSync(path.dirname(checkout), { recursive: true });
    run('git', ['clone', '--quiet', repo, checkout]);
    // npm ci, offline: the installed packages hard-linked in (read-only to a normal user, like a
    // shared cache), then the install's own step: generating the Prisma client.
    const { workspaces = [] } = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));
    for (const dir of ['node_modules', ...workspaces.map((workspace) => `${workspace}/node_modules`)]) {
      if (!existsSync(path.join(repo, dir))) continue;
      const linked = spawnSync('cp', ['-al', path.join(repo, dir), path.join(checkout, dir)]);
      if (linked.status !== 0) run('cp', ['-a', path.join(repo, dir), path.join(checkout, dir)]);
    }
    if (user) {
      for (const dir of [path.dirname(checkout), checkout]) run('chown', [`${user.uid}:${user.gid}`, dir]);
      run('find', [checkout, '-path', '*/node_modules', '-prune', '-o', '-exec', 'chown', '-h', `${user.uid}:${user.gid}`, '{}', '+']);
    }
    run('node', ['server/scripts/generate-prisma-client.mjs'], { cwd: checkout, env: { ...process.env, ...env }, ...as });
  });

  const first = start(checkout, command, env, as);
  await check(`${title}: \`npm ${command.join(' ')}\` gets ready`, () => waitReady(first, base).then(() => (ready = true)));
  if (ready) {
    await check(`${title}: says where the data is in its first lines`, () => {
      // The server's own first lines (npm start prints the desktop build before them).
      const lines = first.output.slice(first.output.indexOf('tsx server/src/server.ts')).split('\n');
      const line = lines.findIndex((l) => l.includes(expectDataIn));
      assert(line >= 0 && line < 8, `no line naming ${expectDataIn} among the server's first lines: ${lines.slice(0, 8).join(' | ')}`);
    });
    await check(`${title}: / answers HTML, /readyz 200`, async () => {
      const page = await fetch(`${base}/`);
      assert(page.status === 200 && (page.headers.get('content-type') ?? '').includes('text/html'), `/ answered ${page.status} ${page.headers.get('content-type')}`);
      assert((await fetch(`${base}/readyz`)).status === 200, '/readyz is not 200');
    });
    await check(`${title}: a change is saved`, async () => {
      const { token, count } = await unreadCount(base);
      assert(count > 0, 'the demo data has no unread notification');
      await api(base, 'POST', '/api/notifications/mark-all-read', token, {});
      assert((await unreadCount(base)).count === 0, 'still unread after mark-all-read');
    });
  }
  await check(`${title}: Ctrl-C stops the server and its PostgreSQL`, () => stopsCleanly(first, 'SIGINT', pgPort));

  ready = false;
  const second = start(checkout, command, env, as);
  await check(`${title}: second start after Ctrl-C gets ready`, () => waitReady(second, base).then(() => (ready = true)));
  if (ready) {
    await check(`${title}: second start keeps the data`, async () => {
      assert(!second.output.includes('seeding demo data'), 'the demo data was seeded again');
      assert((await unreadCount(base)).count === 0, 'the change made before Ctrl-C is gone');
    });
  }
  await check(`${title}: SIGTERM stops the server and its PostgreSQL`, () => stopsCleanly(second, 'SIGTERM', pgPort));
  return first.output;
}

/**
 * Signals the whole process group, as a terminal's Ctrl-C does. npm itself then exits by that
 * signal (its convention); the server must log its shutdown, log no error and leave no
 * PostgreSQL listening. The server's own exit codes are tested in server/test/server-process.test.ts.
 */
async function stopsCleanly(server, signal, pgPort) {
  const code = await server.signal(signal);
  assert(code === 0 || code === signal, `exit ${code}: ${tail(server.output)}`);
  // npm start passes Ctrl-C on to the server as SIGTERM.
  assert(/"signal":"SIG(INT|TERM)","msg":"shutting down"/.test(server.output), `no shutdown logged: ${tail(server.output)}`);
  const errors = server.output.split('\n').filter((line) => /"level":(50|60)/.test(line) || /^\s+at /.test(line));
  assert(errors.length === 0, `errors logged: ${errors.slice(0, 2).join(' | ')}`);
  const listening = await new Promise((resolve) => {
    const socket = connect(pgPort, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
  assert(!listening, `PostgreSQL still listens on port ${pgPort}`);
}

/** Deleting a checkout's hard-linked node_modules takes a while: done in the background. */
function removeLater(dir) {
  spawn('rm', ['-rf', dir], { detached: true, stdio: 'ignore' }).unref();
}

function normalUser() {
  if (spawnSync('id', ['-u', NORMAL_USER], { stdio: 'ignore' }).status !== 0) {
    run('useradd', ['--create-home', '--shell', '/bin/bash', NORMAL_USER]);
  }
  const uid = Number(run('id', ['-u', NORMAL_USER]));
  const gid = Number(run('id', ['-g', NORMAL_USER]));
  const home = execFileSync('getent', ['passwd', NORMAL_USER], { encoding: 'utf8' }).split(':')[5];
  return { uid, gid, home };
}

/** `count` distinct ports that are free now, held open together so none repeats. */
async function freePorts(count) {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => server.address().port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

const started = Date.now();
save();
try {
  // Ports the OS says are free (or FRESH_PORT / FRESH_PG_PORT and the next one): fixed ports
  // can be held by another server, or be the local end of an outgoing connection.
  const [port, userPort, pgPort, userPgPort] = process.env.FRESH_PORT && process.env.FRESH_PG_PORT
    ? [Number(process.env.FRESH_PORT), Number(process.env.FRESH_PORT) + 1, Number(process.env.FRESH_PG_PORT), Number(process.env.FRESH_PG_PORT) + 1]
    : await freePorts(4);
  if (isRoot) {
    // The two run side by side (own ports, own folders) to keep the check short.
    const asRoot = async () => {
      const privateFolder = mkdtempSync(path.join(tmpdir(), 'tn fresh root-'));
      chmodSync(privateFolder, 0o700);
      cleanups.push(() => removeLater(privateFolder));
      const checkout = path.join(privateFolder, 'my projects', 'tray notify');
      const output = await scenario({
        title: 'root, 0700 folder, spaces',
        checkout,
        command: ['start'],
        port,
        pgPort,
        expectDataIn: '/var/lib/tray-notify/',
      });
      const kept = output.match(/\/var\/lib\/tray-notify\/[0-9a-f]{16}/)?.[0];
      if (kept) cleanups.push(() => rmSync(kept, { recursive: true, force: true }));

      await check('root: an unusable DATA_DIR stops the start with one line and exit code 1', async () => {
        const env = { PORT: String(port), PG_PORT: String(pgPort), DATA_DIR: path.join(privateFolder, 'data'), LOG_FORMAT: 'json' };
        const server = start(checkout, ['run', 'server'], env, {});
        const code = await server.exited;
        assert(code === 1, `exit code ${code}`);
        const errorLines = server.output.split('\n').filter((line) => line.includes('Cannot keep the database in'));
        assert(errorLines.length === 1 && errorLines[0].includes('DATA_DIR='), `no single line naming the folder and the fix: ${tail(server.output)}`);
        assert(!/^\s+at /m.test(server.output), 'a stack trace was printed');
      });
    };
    const asNormalUser = async () => {
      const user = normalUser();
      const home = mkdtempSync(path.join(user.home, 'fresh check '));
      cleanups.push(() => removeLater(home));
      const userCheckout = path.join(home, 'tray notify');
      await scenario({
        title: `user ${NORMAL_USER}, home folder, spaces`,
        checkout: userCheckout,
        user,
        command: ['run', 'server'],
        port: userPort,
        pgPort: userPgPort,
        expectDataIn: path.join(userCheckout, '.data'),
      });
    };
    await Promise.all([asRoot(), asNormalUser()]);
  } else {
    const privateFolder = mkdtempSync(path.join(tmpdir(), 'tn fresh user-'));
    cleanups.push(() => removeLater(privateFolder));
    const checkout = path.join(privateFolder, 'tray notify');
    await scenario({ title: 'this user, 0700 folder, spaces', checkout, command: ['run', 'server'], port, pgPort, expectDataIn: path.join(checkout, '.data') });
  }
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
  report.finished = true;
  save();
}
const failed = report.checks.filter((c) => !c.ok).length;
console.log(`fresh-machine: ${report.checks.length - failed} checks passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(0)} s)`);
process.exit(failed ? 1 : 0);
