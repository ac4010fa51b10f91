import type { Session, WebContents, WebPreferences } from 'electron';
import { isAppUrl } from './app-url.ts';

/**
 * Content Security Policy of every app page (sent as a header by protocol.ts). The pages never
 * talk to the server themselves (the main process does, over IPC), so nothing but 'self'.
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * The Electron security checklist, the one set of web preferences of every window of the app
 * (the visible windows and the hidden sound page): a window adds only what it needs on top
 * (`extra`), never loosens these.
 */
export function hardenedWebPreferences(preloadPath: string, extra: Pick<WebPreferences, 'backgroundThrottling' | 'autoplayPolicy' | 'spellcheck'> = {}): WebPreferences {
  return {
    ...extra,
    // Reviewed: the preload exposes only the typed domain API (src/preload), never ipcRenderer.
    preload: preloadPath, // eng-disable PRELOAD_JS_CHECK
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    disableBlinkFeatures: 'Auxclick',
  };
}

export interface GuardLog {
  warn(msg: string, meta?: Record<string, unknown>): void;
}

/**
 * Navigation and window creation: the app's pages may only show the app's own pages.
 * Links out go through openInBrowser after the target-URL guard, never by navigating.
 */
export function hardenWebContents(contents: WebContents, log: GuardLog): void {
  const refuse = (kind: string) => (event: { preventDefault(): void }, url: string) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    log.warn(`refused ${kind}`, { url });
  };
  contents.on('will-navigate', refuse('navigation'));
  contents.on('will-redirect', refuse('redirect'));
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) {
      event.preventDefault();
      log.warn('refused frame navigation', { url: event.url });
    }
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('refused <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log.warn('refused new window', { url });
    return { action: 'deny' };
  });
}

/** No page of the app needs a browser permission (camera, geolocation, notifications...): all denied. */
export function denyPermissions(session: Session, log: GuardLog): void {
  session.setPermissionRequestHandler((_wc, permission, callback) => {
    log.warn('refused permission', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
}
