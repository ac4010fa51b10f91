import { clockTime } from './format.ts';
import type { AppState } from './ipc.ts';

/**
 * The stream's state in a few words, as the tray menu and the web header show it:
 * "Live · last event 10:42", "Reconnecting…", "Connecting…", "Signed out". While the user is
 * active on another device, it says alerts are silent here.
 */
export function liveLabel(state: Pick<AppState, 'connection' | 'lastEventAt' | 'alertsHere'>): string {
  switch (state.connection) {
    case 'online': {
      const last = state.lastEventAt ? ` · last event ${clockTime(state.lastEventAt)}` : '';
      const silent = state.alertsHere === false ? ' · silent here (active on another device)' : '';
      return `Live${last}${silent}`;
    }
    case 'offline':
      return 'Reconnecting…';
    case 'connecting':
      return 'Connecting…';
    default:
      return 'Signed out';
  }
}
