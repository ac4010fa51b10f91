import { Notification } from 'electron';
import type { Alert } from '../shared/alert-scheduler.ts';
import type { NotificationFocus } from '../shared/ipc.ts';

export interface NotifierDeps {
  platform: NodeJS.Platform;
  /** Click on a single notification: mark read and open its target; what did not land there comes back to show. */
  openNotification: (id: string) => Promise<NotificationFocus | null>;
  /** Shows the bell on one notification. */
  showInBell: (focus: NotificationFocus) => void;
  /** Click on a summary: show the list. */
  openBell: () => void;
  log: { warn(msg: string, meta?: Record<string, unknown>): void };
}

/** Native OS notifications. Sounds are the app's own (sound.ts), so toasts are silent. */
export class Notifier {
  // Electron notifications that are garbage-collected lose their click handler: keep them.
  private readonly live = new Set<Notification>();

  constructor(private readonly deps: NotifierDeps) {}

  show(alert: Alert, workspaceName: (id: string) => string): void {
    if (!Notification.isSupported()) {
      this.deps.log.warn('native notifications are not supported on this system');
      return;
    }
    const options =
      alert.kind === 'single'
        ? this.singleOptions(alert.notification.title, alert.notification.body, workspaceName(alert.notification.workspace_id))
        : { title: alert.title, body: alert.body };
    const n = new Notification({ ...options, silent: true });
    const forget = () => this.live.delete(n);
    n.on('click', () => {
      forget();
      if (alert.kind === 'single') void this.open(alert.notification.id);
      else this.deps.openBell();
    });
    n.on('close', forget);
    n.on('failed', (_e, error) => {
      forget();
      this.deps.log.warn('notification failed', { error });
    });
    this.live.add(n);
    n.show();
  }

  private async open(id: string): Promise<void> {
    try {
      const focus = await this.deps.openNotification(id);
      if (focus) this.deps.showInBell(focus);
    } catch (error) {
      this.deps.log.warn('opening a clicked notification failed', { id, error: String(error) });
    }
  }

  private singleOptions(title: string, body: string, workspace: string): { title: string; body: string; subtitle?: string } {
    if (this.deps.platform === 'darwin') return { title, body, subtitle: workspace };
    return { title, body: workspace ? `${workspace} · ${body}` : body };
  }

  get pending(): number {
    return this.live.size;
  }
}
