import { Notification } from 'electron';
import type { Alert } from '../shared/alert-scheduler.ts';
import type { NotificationFocus } from '../shared/ipc.ts';
import type { DeliveryFailureReason } from '../shared/types.ts';
import { ToastBook } from '../shared/toast-book.ts';
import { toastActionsFor, type ToastAction } from '../shared/toast-actions.ts';

export interface NotifierDeps {
  platform: NodeJS.Platform;
  /** Click on a single notification: mark read and open its target; what did not land there comes back to show. */
  openNotification: (id: string) => Promise<NotificationFocus | null>;
  /** A button on a single toast (Mark read, Snooze 1 h, Open…): the same API call as in the list. */
  toastAction: (id: string, action: ToastAction) => Promise<NotificationFocus | null>;
  /** Shows the bell on one notification. */
  showInBell: (focus: NotificationFocus) => void;
  /** Click on a summary: show the list. */
  openBell: () => void;
  /** Whether the OS showed the toast of these notifications (the delivery self-test). */
  toastOutcome?: (ids: string[], shown: boolean, reason?: DeliveryFailureReason) => void;
  log: { warn(msg: string, meta?: Record<string, unknown>): void };
}

/**
 * Native OS notifications, kept by notification id so that one handled anywhere closes here.
 * Sounds are the app's own (sound.ts), so toasts are silent.
 */
export class Notifier {
  // Also what keeps them alive: Electron notifications that are garbage-collected lose their handlers.
  private readonly book = new ToastBook<Notification>();

  constructor(private readonly deps: NotifierDeps) {}

  show(alert: Alert, workspaceName: (id: string) => string): void {
    const ids = alert.kind === 'single' ? [alert.notification.id] : alert.ids;
    if (!Notification.isSupported()) {
      this.deps.log.warn('native notifications are not supported on this system');
      this.deps.toastOutcome?.(ids, false, 'unsupported');
      return;
    }
    const options =
      alert.kind === 'single'
        ? this.singleOptions(alert.notification.title, alert.notification.body, workspaceName(alert.notification.workspace_id))
        : { title: alert.title, body: alert.body };
    // Buttons where the OS has them on toasts (macOS actions, Windows toasts); elsewhere the click opens.
    const actions = alert.kind === 'single' && this.hasActions ? toastActionsFor(alert.notification) : [];
    const n = new Notification({
      ...options,
      silent: true,
      ...(actions.length > 0 ? { actions: actions.map((a) => ({ type: 'button' as const, text: a.title })) } : {}),
      ...(actions.length > 0 && this.deps.platform === 'darwin' ? { closeButtonText: 'Close' } : {}),
    });
    const forget = () => this.book.remove(n);
    n.on('show', () => this.deps.toastOutcome?.(ids, true));
    n.on('click', () => {
      forget();
      if (alert.kind === 'single') void this.land(this.deps.openNotification(alert.notification.id), alert.notification.id);
      else this.deps.openBell();
    });
    n.on('action', (details, index) => {
      forget();
      const action = actions[details?.actionIndex ?? index];
      if (alert.kind === 'single' && action) void this.land(this.deps.toastAction(alert.notification.id, action.action), alert.notification.id);
    });
    n.on('close', forget);
    n.on('failed', (_e, error) => {
      forget();
      this.deps.log.warn('notification failed', { error });
      this.deps.toastOutcome?.(ids, false, 'other');
    });
    this.book.add(n, ids);
    n.show();
  }

  /** Read, archived or snoozed anywhere: its toast closes, and a summary once all it counted are. */
  clear(id: string): void {
    for (const n of this.book.handled(id)) n.close();
  }

  /** Signed out: nothing of the account stays on screen. */
  clearAll(): void {
    for (const n of this.book.clear()) n.close();
  }

  private get hasActions(): boolean {
    return this.deps.platform === 'darwin' || this.deps.platform === 'win32';
  }

  private async land(result: Promise<NotificationFocus | null>, id: string): Promise<void> {
    try {
      const focus = await result;
      if (focus) this.deps.showInBell(focus);
    } catch (error) {
      this.deps.log.warn('acting on a notification from its toast failed', { id, error: String(error) });
    }
  }

  private singleOptions(title: string, body: string, workspace: string): { title: string; body: string; subtitle?: string } {
    if (this.deps.platform === 'darwin') return { title, body, subtitle: workspace };
    return { title, body: workspace ? `${workspace} · ${body}` : body };
  }

  get pending(): number {
    return this.book.size;
  }
}
