import { describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import { isAppUrl } from './app-url.ts';
import { contentSecurityPolicy, denyPermissions, hardenWebContents } from './security.ts';
import { FakeWebContents } from '../testing/electron-fake.ts';

vi.mock('electron', async () => (await import('../testing/electron-fake.ts')).electronFake);

function navigate(wc: FakeWebContents, event: string, url: string) {
  const e = { preventDefault: vi.fn(), url };
  if (event === 'will-frame-navigate') wc.emit(event, e);
  else wc.emit(event, e, url);
  return e.preventDefault.mock.calls.length > 0;
}

describe('hardenWebContents', () => {
  const log = { warn: vi.fn() };
  const setup = () => {
    const wc = new FakeWebContents();
    hardenWebContents(wc as unknown as WebContents, log);
    return wc;
  };

  it('lets the app move between its own pages', () => {
    const wc = setup();
    expect(navigate(wc, 'will-navigate', 'app://bundle/index.html#/settings')).toBe(false);
  });

  it.each(['https://evil.test/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://bundle.evil/x', 'http://localhost:3000/'])(
    'refuses navigation to %s',
    (url) => {
      const wc = setup();
      expect(navigate(wc, 'will-navigate', url)).toBe(true);
      expect(navigate(wc, 'will-redirect', url)).toBe(true);
      expect(navigate(wc, 'will-frame-navigate', url)).toBe(true);
    },
  );

  it('denies every new window and <webview>', () => {
    const wc = setup();
    const handler = wc.setWindowOpenHandler.mock.calls[0]![0];
    expect(handler({ url: 'https://evil.test' } as Electron.HandlerDetails)).toEqual({ action: 'deny' });
    expect(handler({ url: 'app://bundle/index.html' } as Electron.HandlerDetails)).toEqual({ action: 'deny' });
    const e = { preventDefault: vi.fn() };
    wc.emit('will-attach-webview', e);
    expect(e.preventDefault).toHaveBeenCalled();
  });
});

describe('permissions and CSP', () => {
  it('denies every browser permission request', () => {
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
    denyPermissions(session as unknown as Session, { warn: vi.fn() });
    const cb = vi.fn();
    session.setPermissionRequestHandler.mock.calls[0]?.[0](null, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(session.setPermissionCheckHandler.mock.calls[0]?.[0]()).toBe(false);
  });

  it('allows scripts, styles and connections from the app only', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('recognises only the app bundle origin as the app', () => {
    expect(isAppUrl('app://bundle/index.html#/bell')).toBe(true);
    expect(isAppUrl('app://bundle.evil/index.html')).toBe(false);
    expect(isAppUrl('app://user@bundle/index.html')).toBe(false);
    expect(isAppUrl('https://bundle/')).toBe(false);
    expect(isAppUrl(undefined)).toBe(false);
  });
});
