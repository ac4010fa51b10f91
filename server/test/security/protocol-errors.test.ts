import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helper.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** Sends raw bytes and returns the status and body of the answer. */
function raw(request: string): Promise<{ status: number; body: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(request));
    let data = '';
    socket.on('data', (chunk) => (data += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), body });
    });
    setTimeout(() => reject(new Error(`no answer: ${data}`)), 5_000).unref();
  });
}

describe('requests HTTP cannot parse', () => {
  it('a malformed header gets a 400 in the API error format', async () => {
    const response = await raw('GET /api/me HTTP/1.1\r\nHost: localhost\r\nThis is not a header\r\n\r\n');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ error: 'bad_request', message: expect.stringMatching(/malformed|parse/i) });
  });

  it('a path that does not decode gets a 400 in the API error format', async () => {
    const response = await fetch(`${server.url}/api/notifications/%E0%A4%A`, { method: 'PATCH' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'bad_request', message: expect.any(String) });
  });
});
