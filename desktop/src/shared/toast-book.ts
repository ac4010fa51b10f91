// Which OS toasts are on screen for which notifications, so that a notification handled anywhere
// (read, archived, snoozed on another device, the web app, the API) closes its toasts here.
// Platform-neutral: the Electron notifier and the web build each keep one over their own toasts.
import type { NotificationItem, NotificationStateChange } from './types.ts';

interface Entry<T> {
  toast: T;
  /** The notifications the toast stands for that are still unhandled. */
  open: Set<string>;
}

export class ToastBook<T> {
  private readonly entries = new Set<Entry<T>>();

  /** A toast now on screen for these notifications (one for a single toast, several for a summary). */
  add(toast: T, ids: readonly string[]): void {
    this.entries.add({ toast, open: new Set(ids) });
  }

  /** The toast is gone (closed by the user, clicked, failed): forget it. */
  remove(toast: T): void {
    for (const entry of this.entries) if (entry.toast === toast) this.entries.delete(entry);
  }

  /**
   * The notification was handled: returns the toasts to close now, the single toast of it and
   * each summary whose every notification is now handled.
   */
  handled(id: string): T[] {
    const done: T[] = [];
    for (const entry of this.entries) {
      if (!entry.open.delete(id) || entry.open.size > 0) continue;
      this.entries.delete(entry);
      done.push(entry.toast);
    }
    return done;
  }

  /** Toasts on screen (tests, logs). */
  get size(): number {
    return this.entries.size;
  }

  clear(): T[] {
    const all = [...this.entries].map((e) => e.toast);
    this.entries.clear();
    return all;
  }
}

/** A state change that takes a notification off the user's plate: its toasts close everywhere. */
export function isHandled(change: Pick<NotificationStateChange | NotificationItem, 'read_at' | 'archived_at' | 'snoozed_until'>): boolean {
  return change.read_at != null || change.archived_at != null || change.snoozed_until != null;
}
