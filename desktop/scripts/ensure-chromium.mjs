// The e2e specs drive Debian's Chromium (Playwright's own browser download cannot be reached
// from these machines). Finds it, or installs it with apt-get when running as root, or says
// exactly what to do.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const wanted = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(wanted)) process.exit(0);

const isRoot = process.getuid?.() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (process.env.CHROMIUM_PATH || !isRoot || !hasApt) {
  console.error(
    `Chromium not found at ${wanted}. Install it (Debian/Ubuntu: \`sudo apt-get install -y chromium\`) ` +
      'or set CHROMIUM_PATH to a Chromium or Chrome binary, then run the tests again.',
  );
  process.exit(1);
}
console.log('Chromium not found: installing Debian\'s chromium package for the browser tests (apt-get)...');
for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
  const result = spawnSync('apt-get', ['-q', ...args], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) {
    console.error(`apt-get ${args.join(' ')} failed (exit ${result.status}): install chromium by hand, then run the tests again.`);
    process.exit(1);
  }
}
if (!existsSync(wanted)) {
  console.error(`apt-get installed chromium, but ${wanted} does not exist: set CHROMIUM_PATH to its binary.`);
  process.exit(1);
}
