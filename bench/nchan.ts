/**
 * nginx with the nchan pub/sub module on loopback, as a peer for bench:stream: one worker
 * process (like the one Node process it is compared with), `/sub/<channel>` for EventSource
 * subscribers, `/pub/<channel>` for the publisher. Debian's `nginx` and `libnginx-mod-nchan`
 * are installed with apt-get when missing and this runs as root.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, log, sleep } from './lib.ts';

const MODULE = '/usr/lib/nginx/modules/ngx_nchan_module.so';
const NGINX = '/usr/sbin/nginx';

function ensureInstalled() {
  if (existsSync(NGINX) && existsSync(MODULE)) return;
  if (process.getuid?.() !== 0) {
    throw new Error('nginx-nchan is missing: run `apt-get install -y nginx libnginx-mod-nchan` as root, or run this as root.');
  }
  log('installing nginx and libnginx-mod-nchan with apt-get');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'nginx', 'libnginx-mod-nchan'], { stdio: 'inherit', env });
  } catch {
    execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'nginx', 'libnginx-mod-nchan'], { stdio: 'inherit', env });
  }
}

export interface Nchan {
  port: number;
  /** The worker that holds the connections (its RSS is the one per connection). */
  workerPid: number;
  stop(): void;
}

export async function startNchan(connections: number): Promise<Nchan> {
  ensureInstalled();
  const port = await freePort();
  const dir = path.join(os.tmpdir(), `bench-nchan-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `load_module ${MODULE};
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
worker_rlimit_nofile ${connections * 2 + 1024};
daemon off;
master_process on;
pid ${dir}/nginx.pid;
error_log stderr warn;
events { worker_connections ${connections * 2 + 1024}; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:${port};
    location ~ ^/sub/(\\d+)$ {
      nchan_subscriber eventsource;
      nchan_channel_id $1;
    }
    location ~ ^/pub/(\\d+)$ {
      nchan_publisher;
      nchan_channel_id $1;
      nchan_message_buffer_length 10;
      nchan_message_timeout 60s;
    }
  }
}
`,
  );
  const master = spawn(NGINX, ['-p', dir, '-c', conf], { stdio: ['ignore', 'inherit', 'inherit'] });
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (master.exitCode !== null) throw new Error(`nginx exited with ${master.exitCode}`);
    if (Date.now() > deadline) throw new Error('nginx did not start within 15 s');
    const children = childrenOf(master.pid!);
    if (children.length > 0 && (await fetch(`http://127.0.0.1:${port}/pub/0`).then(() => true, () => false))) {
      return { port, workerPid: children[0]!, stop: () => master.kill('SIGTERM') };
    }
    await sleep(100);
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
