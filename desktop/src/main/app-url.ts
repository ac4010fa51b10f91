/** The app's own pages are served from this privileged custom scheme (see protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'bundle';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export function appPageUrl(hash: string): string {
  return `${APP_ORIGIN}/index.html#/${hash.replace(/^#?\/?/, '')}`;
}

/** True only for URLs of the app's own bundle (not look-alikes such as app://bundle.evil). */
export function isAppUrl(raw: string | undefined | null): boolean {
  if (!raw) return false;
  try {
    const u = new URL(raw);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password;
  } catch {
    return false;
  }
}
