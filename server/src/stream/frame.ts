import type { StreamEventType } from '@tray-notify/contract';

/** One SSE event as written to the socket. */
export function frame(id: bigint, event: StreamEventType, data: string) {
  return `id: ${id}\nevent: ${event}\ndata: ${data}\n\n`;
}
