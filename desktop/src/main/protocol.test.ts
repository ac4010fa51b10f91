import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('../testing/electron-fake.ts')).electronFake);
const { resolveAppFile, serveAppRequest } = await import('./protocol.ts');

describe('app:// protocol', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'web-'));
    fs.writeFileSync(path.join(root, 'index.html'), '<h1>app</h1>');
    fs.writeFileSync(path.join(os.tmpdir(), 'secret.txt'), 'secret');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('serves files of the bundle with the CSP header', async () => {
    const res = await serveAppRequest({ root, csp: () => "default-src 'none'" }, 'app://bundle/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toBe('<h1>app</h1>');
  });

  it.each(['app://bundle/../secret.txt', 'app://bundle/%2e%2e/secret.txt', 'app://bundle/..%2fsecret.txt', 'app://other/index.html', 'app://bundle/%00'])(
    'does not serve %s',
    async (url) => {
      const resolved = resolveAppFile(root, url);
      // Either refused, or normalised to a path inside the bundle (where no such file exists).
      if (resolved !== null) expect(resolved.startsWith(root + path.sep)).toBe(true);
      expect(resolved).not.toBe(path.join(os.tmpdir(), 'secret.txt'));
      const res = await serveAppRequest({ root, csp: () => '' }, url);
      expect(res.status).toBe(404);
    },
  );
});
