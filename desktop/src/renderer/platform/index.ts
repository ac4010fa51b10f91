import type { AppApi } from '../../shared/ipc.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser. */
    app?: AppApi;
  }
}

/**
 * The Electron preload's API, or in a browser the web adapter. The adapter (with its own copy of
 * the app's core and the HTTP client) is a separate chunk that only a browser loads.
 */
export const platform: AppApi = window.app ?? (await import('./browser.ts')).createBrowserApi();

export function errorMessage(err: unknown): string {
  if (err && typeof err === 'object' && 'message' in err && typeof err.message === 'string') return err.message;
  return String(err);
}
