import { ApiError } from '../../shared/api-client.ts';
import type { WindowName } from '../../shared/ipc.ts';
import { handle } from '../ipc.ts';
import type { WindowManager } from '../windows.ts';
import { BrowserWindow } from 'electron';

const NAMES: readonly WindowName[] = ['bell', 'activity', 'admin', 'settings', 'login'];

export interface WindowHandlerDeps {
  windows: Pick<WindowManager, 'open'>;
}

export function registerWindowHandlers({ windows }: WindowHandlerDeps): void {
  handle('window:open', ({ name, query }) => {
    if (!NAMES.includes(name)) throw new Error(`unknown window ${String(name)}`);
    const win = windows.open(name, typeof query === 'string' ? query : '');
    if (!win && name === 'admin') throw new ApiError(403, 'forbidden', 'Only super admins can open the admin activity.');
  });
  handle('window:close', (_req, event) => {
    BrowserWindow.fromWebContents(event.sender)?.close();
  });
}
