import { ApiError } from './api-client.ts';
import { openTarget, type NotificationActionHooks } from './notification-actions.ts';
import type { AppSession } from './session.ts';
import type { FetchLike } from './stream-client.ts';
import type { ActivityExportRequest } from './types.ts';

export type ActivityActionHooks = NotificationActionHooks & { fetch: FetchLike };

type ExportResponse = Awaited<ReturnType<FetchLike>> & { headers?: { get(name: string): string | null }; json?: () => Promise<unknown> };

/** What the activity windows do beyond listing: open an entry's target, export a feed. */
export class ActivityActions {
  constructor(
    private readonly session: AppSession,
    private readonly hooks: ActivityActionHooks,
  ) {}

  /** "Open in app" on an entry: its target, resolved and checked like a notification's. */
  openTarget(target: string) {
    return openTarget(target, this.session.getSettings().webAppBaseUrl, this.hooks, 'activity');
  }

  /**
   * Streams an export from the server into `write`, chunk by chunk (nothing is held here),
   * reporting the rows received so far; the total is only known at the end.
   */
  async export(
    req: ActivityExportRequest,
    write: (chunk: Uint8Array) => void | Promise<void>,
    onProgress: (rows: number) => void,
  ): Promise<{ rows: number; file: string }> {
    const api = req.scope === 'admin' ? this.session.superAdminApi() : this.session.signedInApi();
    const query = new URLSearchParams({ format: req.format });
    for (const [key, value] of Object.entries(req.query)) if (value !== undefined && value !== '') query.set(key, String(value));
    const path = req.scope === 'admin' ? '/api/admin/activity/export' : '/api/activity/export';
    const res = (await this.hooks.fetch(`${api.baseUrl}${path}?${query}`, {
      headers: { authorization: `Bearer ${this.session.currentToken ?? ''}` },
      signal: new AbortController().signal,
    })) as ExportResponse;
    if (!res.ok || !res.body) {
      const body = (await res.json?.().catch(() => null)) as { error?: string; message?: string } | null;
      throw new ApiError(res.status, body?.error ?? `http_${res.status}`, body?.message ?? `Export failed with status ${res.status}`);
    }
    const file = /filename="([^"]+)"/.exec(res.headers?.get('content-disposition') ?? '')?.[1] ?? `activity.${req.format}`;
    const reader = res.body.getReader();
    const rowsOf = (lines: number) => (req.format === 'csv' ? Math.max(0, lines - 1) : lines);
    let lines = 0;
    let reported = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done || !value) break;
      for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
      await write(value);
      if (rowsOf(lines) - reported >= 500) onProgress((reported = rowsOf(lines)));
    }
    onProgress(rowsOf(lines));
    return { rows: rowsOf(lines), file };
  }
}
