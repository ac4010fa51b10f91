import type { StreamEventData, StreamEventType } from '@tray-notify/contract';

/** One SSE event as written to the socket, its payload already JSON (as the stream log keeps it). */
export function frame(id: bigint, event: StreamEventType, json: string) {
  return `id: ${id}\nevent: ${event}\ndata: ${json}\n\n`;
}

/** One SSE event built here, its payload typed by the contract. */
export function frameOf<T extends StreamEventType>(id: bigint, event: T, data: StreamEventData<T>) {
  return frame(id, event, JSON.stringify(data));
}
