import { describe, expect, it, vi } from 'vitest';
import { FakeUpdater } from '../../testing/deployment-fakes.ts';
import { registerAutoUpdater, type UpdaterDeps } from './updater.ts';

function start(feedUrl: string) {
  const updater = new FakeUpdater();
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const deps: UpdaterDeps = {
    enabled: true,
    feedUrl,
    support: { supported: true },
    log,
    onUpdateReady: vi.fn(),
    setInterval: vi.fn(),
    clearInterval: vi.fn(),
    getUpdater: vi.fn(() => updater),
  };
  registerAutoUpdater(deps);
  return { deps, log };
}

describe('the update feed', () => {
  it('must be https: a plain-http feed (anyone on the path could serve an update) turns auto-update off, with a warning', () => {
    for (const url of ['http://files.acme.com/tray-notify', 'ftp://files.acme.com/x', 'http://10.0.0.5/updates']) {
      const { deps, log } = start(url);
      expect(deps.getUpdater).not.toHaveBeenCalled();
      expect(log.warn).toHaveBeenCalledWith(expect.stringMatching(/Auto-update is off: the update feed must use https/));
    }
  });

  it('accepts https, and http on loopback only (a local test feed)', () => {
    for (const url of ['https://files.acme.com/tray-notify', 'http://127.0.0.1:8080/feed', 'http://localhost:8080/feed', 'http://[::1]:8080/feed']) {
      expect(start(url).deps.getUpdater, url).toHaveBeenCalled();
    }
  });
});
