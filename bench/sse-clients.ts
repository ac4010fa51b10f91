/**
 * A child process of the benchmarks that holds SSE streams over loopback and reports what
 * arrives, so that parsing thousands of streams runs on its own event loop, not the writer's.
 * The parent sends `{ targets }`; this process opens them 200 at a time, answers
 * `{ ready: { failed } }` once each has answered, then every 50 ms
 * `{ received: [{ key, at }] }`: the `title` of each event carrying one (`read:<id>` for a
 * notification read elsewhere) and when it was parsed
 * (on the clock shared by the processes). Plain HTTP, EventSource's wire format, no library:
 * a client library's own cost per stream would be measured too.
 */
import http from 'node:http';
import { now, type Received, type StreamTarget } from './lib.ts';

let received: Received[] = [];
const TITLE = /"title": ?"([^"]*)"/;
const READ = /"id": ?"([^"]*)"[^]*"read_at": ?"/;

function open(target: StreamTarget): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.request({
      host: '127.0.0.1',
      port: target.port,
      path: target.path,
      agent: false,
      headers: { accept: 'text/event-stream', ...(target.token ? { authorization: `Bearer ${target.token}` } : {}) },
    });
    let settled = false;
    const settle = (ok: boolean) => {
      if (settled) return;
      settled = true;
      resolve(ok);
    };
    request.on('error', () => settle(false));
    request.on('response', (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        return settle(false);
      }
      response.setEncoding('utf8');
      // The app says it is ready with its first unread count; nchan with its headers.
      if (!target.token) settle(true);
      let buffer = '';
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.includes('event: unread_count')) settle(true);
          else if (frame.includes('event: notification.updated')) {
            // A read somewhere else: `read:<id>` (the clear-everywhere delay).
            const read = READ.exec(frame);
            if (read) received.push({ key: `read:${read[1]!}`, at: now() });
          } else {
            const title = TITLE.exec(frame);
            if (title) received.push({ key: title[1]!, at: now() });
          }
        }
      });
    });
    request.end();
  });
}

process.on('message', async (message: { targets: StreamTarget[] }) => {
  let failed = 0;
  for (let i = 0; i < message.targets.length; i += 200) {
    const results = await Promise.all(message.targets.slice(i, i + 200).map(open));
    failed += results.filter((ok) => !ok).length;
  }
  process.send!({ ready: { failed } });
  setInterval(() => {
    if (received.length === 0) return;
    process.send!({ received });
    received = [];
  }, 50);
});
// Without the parent (it was killed), there is nobody to report to.
process.on('disconnect', () => process.exit(0));
