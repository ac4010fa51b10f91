import type { AppApi } from '../../shared/ipc.ts';
import { createBrowserApi } from './browser.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser. */
    app?: AppApi;
  }
}

export const platform: AppApi = window.app ?? createBrowserApi();

export function errorMessage(err: unknown): string {
  if (err && typeof err === 'object' && 'message' in err && typeof err.message === 'string') return err.message;
  return String(err);
}

export function errorCode(err: unknown): string | null {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return null;
}
