import type { NotificationFocus } from './ipc.ts';
import type { LiveUpdates } from './live-updates.ts';
import type { AppSession, Logger } from './session.ts';
import { resolveTarget } from './target-url.ts';
import { conversationTarget, TOAST_SNOOZE_MS, type ToastAction } from './toast-actions.ts';
import type { BulkRequest, BulkResult, BulkUndoResult, MuteItem, MuteScope, NotificationChange, NotificationItem, OpenResult } from './types.ts';

export interface NotificationActionHooks {
  openInBrowser(url: string): void;
  openActivity(query: string): void;
  log: Logger;
}

/** Changes to notifications made here: the unread count follows, and a click opens the target. */
export class NotificationActions {
  constructor(
    private readonly session: AppSession,
    private readonly live: Pick<LiveUpdates, 'refreshUnread'>,
    private readonly hooks: NotificationActionHooks,
  ) {}

  async update(id: string, change: NotificationChange): Promise<NotificationItem> {
    const n = await this.session.signedInApi().updateNotification(id, change);
    void this.live.refreshUnread().catch(() => undefined);
    return n;
  }

  async markAllRead(workspaceId?: string): Promise<BulkResult> {
    const r = await this.session.signedInApi().markAllRead(workspaceId);
    void this.live.refreshUnread().catch(() => undefined);
    return r;
  }

  async bulk(req: BulkRequest): Promise<BulkResult> {
    const r = await this.session.signedInApi().bulkUpdateNotifications(req);
    void this.live.refreshUnread().catch(() => undefined);
    return r;
  }

  async undoBulk(undoToken: string): Promise<BulkUndoResult> {
    const r = await this.session.signedInApi().undoBulkUpdate(undoToken);
    void this.live.refreshUnread().catch(() => undefined);
    return r;
  }

  /** What a list showed is seen: the badge counts unseen. */
  async markAllSeen(options: { workspaceId?: string; before?: string } = {}): Promise<{ updated: number }> {
    const r = await this.session.signedInApi().markAllSeen(options);
    if (r.updated > 0) void this.live.refreshUnread().catch(() => undefined);
    return r;
  }

  mute(id: string, scope: MuteScope): Promise<MuteItem> {
    return this.session.signedInApi().muteNotification(id, scope);
  }

  listMutes(): Promise<{ items: MuteItem[] }> {
    return this.session.signedInApi().listMutes();
  }

  deleteMute(id: string): Promise<void> {
    return this.session.signedInApi().deleteMute(id);
  }

  /** Click on a notification (list or native toast): mark it read, then open its target. */
  async open(id: string): Promise<{ opened: OpenResult }> {
    const n = await this.update(id, { read: true });
    return openTarget(n.target_url, this.session.getSettings().webAppBaseUrl, this.hooks, 'notification', { id });
  }

  /**
   * A button on a native toast: the same API call as the same click in the list (so it is
   * recorded and can be undone there the same way); Open and the toast's own click land like a
   * click in the list. Returns what the bell should show, if anything.
   */
  async fromToast(id: string, action: ToastAction, now: () => Date = () => new Date()): Promise<NotificationFocus | null> {
    try {
      switch (action) {
        case 'read':
          await this.update(id, { read: true });
          return null;
        case 'snooze':
          await this.update(id, { snoozed_until: new Date(now().getTime() + TOAST_SNOOZE_MS).toISOString() });
          return null;
        case 'open_conversation': {
          const n = await this.update(id, { read: true });
          const { opened } = openTarget(conversationTarget(n.target_url), this.session.getSettings().webAppBaseUrl, this.hooks, 'notification', { id });
          return opened === 'external' || opened === 'activity' ? null : { id, detail: true };
        }
        default:
          return await this.openFromToast(id);
      }
    } catch (err) {
      this.hooks.log.warn('a toast action failed', { id, action, error: String(err) });
      return { id, detail: false };
    }
  }

  /**
   * Click on a native toast: like a click in the list, a link lands where it points (the host
   * app, the activity window); otherwise the bell is to show the item, in place when it has no
   * host-app target, or highlighted in the list when it could not be opened (offline).
   */
  async openFromToast(id: string): Promise<NotificationFocus | null> {
    try {
      const { opened } = await this.open(id);
      return opened === 'external' || opened === 'activity' ? null : { id, detail: true };
    } catch (err) {
      this.hooks.log.warn('could not open the notification of a toast', { id, error: String(err) });
      return { id, detail: false };
    }
  }
}

/** Opens a notification's or activity entry's target: the host app in the browser, or the activity window. */
export function openTarget(
  target: string | null,
  webAppBaseUrl: string | null,
  hooks: NotificationActionHooks,
  what: 'notification' | 'activity',
  about: Record<string, unknown> = {},
): { opened: OpenResult } {
  const t = resolveTarget(target, webAppBaseUrl);
  switch (t.kind) {
    case 'external':
      hooks.openInBrowser(t.url);
      return { opened: 'external' };
    case 'activity':
      hooks.openActivity(t.query);
      return { opened: 'activity' };
    case 'refused':
      hooks.log.warn(`refused to open ${what} target`, { ...about, target, reason: t.reason });
      return { opened: 'refused' };
    case 'detail':
      return { opened: 'detail' };
    default:
      return { opened: 'none' };
  }
}
