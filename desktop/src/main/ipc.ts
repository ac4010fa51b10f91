// The only module that touches ipcMain/webContents.send: typed by the table in shared/ipc.ts,
// every invoke checked for its sender frame.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { ApiError } from '../shared/api-client.ts';
import { encodeIpcError, type EventChannel, type InvokeChannel, type InvokeRequest, type InvokeResponse, type IpcEventContract } from '../shared/ipc.ts';
import { isAppUrl } from './app-url.ts';

export type Handler<C extends InvokeChannel> = (
  req: InvokeRequest<C>,
  event: IpcMainInvokeEvent,
) => InvokeResponse<C> | Promise<InvokeResponse<C>>;

/** Only the app's own pages (top frame or its own subframes) may call the main process. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  return !!frame && isAppUrl(frame.url);
}

let refusalLog: (msg: string) => void = (msg) => console.warn(msg);

/** Where refused calls are reported by default; index.ts points it at the app's log. */
export function setIpcLog(log: (msg: string) => void): void {
  refusalLog = log;
}

export function handle<C extends InvokeChannel>(channel: C, handler: Handler<C>, log?: (msg: string) => void): void {
  ipcMain.handle(channel, async (event, req: InvokeRequest<C>) => {
    if (!isTrustedSender(event)) {
      (log ?? refusalLog)(`IPC ${channel} refused: untrusted sender ${event.senderFrame?.url ?? '(no frame)'}`);
      throw new Error(encodeIpcError('forbidden', 'This page may not call the app.'));
    }
    try {
      return await handler(req, event);
    } catch (err) {
      // Keep the error's code across the IPC boundary; never leak stack traces to the renderer.
      if (err instanceof ApiError) throw new Error(encodeIpcError(err.code, err.message));
      throw new Error(encodeIpcError('internal', err instanceof Error ? err.message : String(err)));
    }
  });
}

export function send<C extends EventChannel>(target: WebContents, channel: C, payload: IpcEventContract[C]): void {
  if (!target.isDestroyed()) target.send(channel, payload);
}
