// Events of GET /api/notifications/stream (Server-Sent Events; not described by OpenAPI).
import type { NotificationItem, NotificationStateChange, UnreadCount } from './schemas.ts';

export const STREAM_EVENT_TYPES = ['notification.created', 'notification.updated', 'unread_count', 'resync'] as const;
export type StreamEventType = (typeof STREAM_EVENT_TYPES)[number];

/** The events a change to a notification writes to its recipients' stream logs. */
export type LoggedStreamEventType = Extract<StreamEventType, 'notification.created' | 'notification.updated'>;

export type StreamEvent =
  | { type: 'notification.created'; id: string | null; data: NotificationItem }
  /** The viewer's new state, or the whole item when a repeat collapsed into it (new text, moved to the top). */
  | { type: 'notification.updated'; id: string | null; data: NotificationStateChange | NotificationItem }
  | { type: 'unread_count'; id: string | null; data: UnreadCount }
  | { type: 'resync'; id: string | null; data: Record<string, never> };

/** The payload (`data:`, as JSON) of one kind of event. */
export type StreamEventData<T extends StreamEventType> = Extract<StreamEvent, { type: T }>['data'];

export function isFullNotification(d: NotificationStateChange | NotificationItem): d is NotificationItem {
  return 'title' in d && typeof d.title === 'string' && 'created_at' in d;
}
