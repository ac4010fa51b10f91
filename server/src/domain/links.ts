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
  return `${appBaseUrl}${target.startsWith('/') ? '' : '/'}${target}`;
}

/** The web app's own page for one notification: where links go when there is no host app. */
export const notificationPageUrl = (publicUrl: string, notificationId: string) =>
  `${publicUrl}/#/bell?notification=${notificationId}`;
