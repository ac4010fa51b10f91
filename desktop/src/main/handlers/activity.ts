import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ActivityActions } from '../../shared/activity-actions.ts';
import type { AppSession } from '../../shared/session.ts';
import { handle, send } from '../ipc.ts';

export interface ActivityHandlerDeps {
  session: Pick<AppSession, 'signedInApi' | 'superAdminApi'>;
  activity: Pick<ActivityActions, 'export' | 'openTarget'>;
  /** Where exports are saved (the user's Downloads folder). */
  downloadsDir: () => string;
}

export function registerActivityHandlers({ session, activity, downloadsDir }: ActivityHandlerDeps): void {
  handle('activity:list', (q) => session.signedInApi().listActivity(q ?? {}));
  handle('activity:open-target', ({ target }) => activity.openTarget(String(target)));
  // Streamed straight to a file: however large the export, the app holds one chunk at a time.
  handle('activity:export', async (req, event) => {
    const partial = path.join(downloadsDir(), `tray-notify-export-${Date.now()}.part`);
    const out = createWriteStream(partial);
    try {
      const result = await activity.export(
        req,
        async (chunk) => {
          if (!out.write(chunk)) await once(out, 'drain');
        },
        (rows) => send(event.sender, 'export:progress', { rows }),
      );
      out.end();
      await once(out, 'finish');
      const file = path.join(downloadsDir(), path.basename(result.file));
      await rename(partial, file);
      return { rows: result.rows, file };
    } catch (err) {
      out.destroy();
      await rm(partial, { force: true });
      throw err;
    }
  });
  handle('workspace:members', () => session.signedInApi().listMembers());
  handle('workspace:set-member-role', ({ userId, role }) => session.signedInApi().changeMemberRole(userId, role));
  handle('workspace:remove-member', ({ userId }) => session.signedInApi().removeMember(userId));
  handle('workspace:retention', () => session.signedInApi().activityRetention());
  handle('workspace:set-retention', ({ days }) => session.signedInApi().setActivityRetention(days));
  handle('workspace:notification-defaults', () => session.signedInApi().notificationDefaults());
  handle('workspace:set-notification-defaults', ({ types }) => session.signedInApi().setNotificationDefaults(types));
  handle('workspace:escalations', () => session.signedInApi().notificationEscalations());
  handle('workspace:set-escalations', ({ items }) => session.signedInApi().setNotificationEscalations(items));
  handle('alert-rules:list', () => session.signedInApi().listAlertRules());
  handle('alert-rules:create', (input) => session.signedInApi().createAlertRule(input));
  handle('alert-rules:update', ({ id, change }) => session.signedInApi().updateAlertRule(id, change));
  handle('alert-rules:remove', ({ id }) => session.signedInApi().deleteAlertRule(id));
  // Admin channels: refused here, before any request, to everyone who is not a super admin.
  handle('admin:activity', (q) => session.superAdminApi().listAdminActivity(q ?? {}));
  handle('admin:workspaces', () => session.superAdminApi().adminWorkspaces());
  handle('admin:users', (req) => session.superAdminApi().adminUsers(req?.workspaceId));
  handle('admin:critical-events', (req) => session.superAdminApi().criticalEvents(req?.limit));
}
