import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { AppService } from '../../shared/app-service.ts';
import { handle, send } from '../ipc.ts';

export interface ActivityHandlerDeps {
  service: Pick<
    AppService,
    'listActivity' | 'requireSuperAdmin' | 'adminActivity' | 'adminWorkspaces' | 'adminUsers' | 'criticalEvents' | 'exportActivity' | 'openActivityTarget'
  >;
  /** Where exports are saved (the user's Downloads folder). */
  downloadsDir: () => string;
}

export function registerActivityHandlers({ service, downloadsDir }: ActivityHandlerDeps): void {
  handle('activity:list', (q) => service.listActivity(q ?? {}));
  handle('activity:open-target', ({ target }) => service.openActivityTarget(String(target)));
  // Streamed straight to a file: however large the export, the app holds one chunk at a time.
  handle('activity:export', async (req, event) => {
    const partial = path.join(downloadsDir(), `tray-notify-export-${Date.now()}.part`);
    const out = createWriteStream(partial);
    try {
      const result = await service.exportActivity(
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
  // Admin channels: refused here, before any request, to everyone who is not a super admin.
  handle('admin:activity', (q) => {
    service.requireSuperAdmin();
    return service.adminActivity(q ?? {});
  });
  handle('admin:workspaces', () => {
    service.requireSuperAdmin();
    return service.adminWorkspaces();
  });
  handle('admin:users', (req) => {
    service.requireSuperAdmin();
    return service.adminUsers(req?.workspaceId);
  });
  handle('admin:critical-events', (req) => {
    service.requireSuperAdmin();
    return service.criticalEvents(req?.limit);
  });
}
