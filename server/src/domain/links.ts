/**
 * Where notification targets (`/leads/…`, `/jobs/…`) live: the host sales app, not this server.
 * One process serves one deployment, so the base is process-wide like the logger; buildApp
 * sets it from APP_BASE_URL. Unset, targets stay paths and the apps show the item in place.
 */
let appBaseUrl: string | undefined;

export function setAppBaseUrl(url: string | undefined) {
  appBaseUrl = url?.replace(/\/+$/, '') || undefined;
}

/** The absolute address of a stored target path (absolute targets pass through). */
export function absoluteTargetUrl(target: string | null): string | null {
  if (!target || !appBaseUrl || /^[a-z][a-z0-9+.-]*:/i.test(target)) return target;
  // The apps' own activity window (an alert's entries), not a page of the host app.
  if (/^\/activity(?:[/?#]|$)/.test(target)) return target;
  return `${appBaseUrl}${target.startsWith('/') ? '' : '/'}${target}`;
}

/**
 * The host app's path of one entity, e.g. `entityPath('/jobs', id)`. The id is one encoded path
 * segment, so `/`, `?` and `#` in it stay part of it; an id of `.` or `..` (which browsers
 * resolve to this or the parent folder, encoded or not) gives no path at all. Ids come from
 * integrations too: a link must never leave its entity.
 */
export function entityPath(collection: string, id: string, query = ''): string | null {
  if (id === '' || id === '.' || id === '..') return null;
  return `${collection}/${encodeURIComponent(id)}${query}`;
}

/** The web app's own page for one notification: where links go when there is no host app. */
export const notificationPageUrl = (publicUrl: string, notificationId: string) =>
  `${publicUrl}/#/bell?notification=${encodeURIComponent(notificationId)}`;
