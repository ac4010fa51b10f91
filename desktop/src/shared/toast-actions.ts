// The buttons on an OS toast (Electron's notification actions, a service worker's
// showNotification actions). Each does what the same click in the list does, through the API.
import { TEST_ALERT_TYPE } from '@tray-notify/contract/lists';
import type { NotificationItem } from './types.ts';

export type ToastAction = 'read' | 'snooze' | 'open' | 'open_conversation';

/** Snooze from a toast: one hour, like the list's first quick choice. */
export const TOAST_SNOOZE_MS = 60 * 60 * 1000;

const LABELS: Record<ToastAction, string> = {
  read: 'Mark read',
  snooze: 'Snooze 1 h',
  open: 'Open',
  open_conversation: 'Open conversation',
};

/** A reply gets "Open conversation" too: the lead's thread rather than the lead. */
export function toastActionsFor(n: Pick<NotificationItem, 'type'>): { action: ToastAction; title: string }[] {
  const actions: ToastAction[] = ['read', 'snooze', 'open'];
  if (n.type === 'reply_received') actions.push('open_conversation');
  return actions.map((action) => ({ action, title: LABELS[action] }));
}

export function isToastAction(value: unknown): value is ToastAction {
  return typeof value === 'string' && value in LABELS;
}

/** The conversation of a reply: the lead's page on its conversation tab. */
export function conversationTarget(target: string | null): string | null {
  if (!target) return null;
  const [path, hash = ''] = target.split('#', 2);
  const joined = `${path}${path!.includes('?') ? '&' : '?'}tab=conversation`;
  return hash ? `${joined}#${hash}` : joined;
}

/**
 * The self-test notification ("send me a test alert"): each client reports whether its toast
 * was shown. Recognised by its type or a `delivery_test` flag in meta.
 */
export function isDeliveryTest(n: Pick<NotificationItem, 'type' | 'meta'>): boolean {
  return n.type === TEST_ALERT_TYPE;
}
