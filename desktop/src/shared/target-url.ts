export type TargetResolution =
  | { kind: 'external'; url: string }
  | { kind: 'activity'; query: string }
  | { kind: 'none' }
  /** A path with no host app to open it on: the app shows the notification itself. */
  | { kind: 'detail' }
  | { kind: 'refused'; reason: string };

/**
 * Decides what clicking a notification opens. `target` is a path of the customer's web app
 * ("/leads/42"); it opens as <webAppBaseUrl><path> in the default browser. Only http(s) URLs
 * on exactly that origin are allowed: absolute URLs to other hosts, protocol-relative
 * ("//evil.test"), backslash tricks, `javascript:`/`file:` and look-alike hosts are refused.
 * Paths under /activity open the app's own activity window instead.
 */
export function resolveTarget(target: string | null | undefined, webAppBaseUrl: string | null): TargetResolution {
  if (target === null || target === undefined || target.trim() === '') return { kind: 'none' };
  const raw = target.trim();
  // Control characters and backslashes are how look-alike paths smuggle a different host.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return { kind: 'refused', reason: 'control characters or backslashes in target' };
  if (hasDotSegment(raw)) return { kind: 'refused', reason: 'a `.` or `..` segment in the target path' };

  if (/^\/activity(?:[/?#]|$)/.test(raw)) {
    const q = raw.indexOf('?');
    return { kind: 'activity', query: q === -1 ? '' : raw.slice(q + 1).split('#')[0] ?? '' };
  }

  if (!webAppBaseUrl) {
    // No host app configured here: an absolute http(s) target comes from the server's
    // APP_BASE_URL and opens as is; a bare path has nowhere to go, so the app shows the item.
    if (/^https?:\/\//i.test(raw)) {
      try {
        const url = new URL(raw);
        if (url.username || url.password) return { kind: 'refused', reason: 'credentials in target URL' };
        return { kind: 'external', url: url.href };
      } catch {
        return { kind: 'refused', reason: 'target is not a valid URL' };
      }
    }
    return { kind: 'detail' };
  }
  let base: URL;
  try {
    base = new URL(webAppBaseUrl);
  } catch {
    return { kind: 'refused', reason: 'the configured web app base URL is invalid' };
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    return { kind: 'refused', reason: 'the configured web app base URL is not http(s)' };
  }

  let url: URL;
  if (raw.startsWith('/') && !raw.startsWith('//')) {
    // A path: append to the base, keeping any path prefix the base has (https://x.test/app + /leads/1).
    url = new URL(base.href.replace(/\/+$/, '') + raw);
  } else {
    try {
      url = new URL(raw);
    } catch {
      return { kind: 'refused', reason: 'target is neither a path nor an absolute URL' };
    }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { kind: 'refused', reason: `scheme ${url.protocol} is not allowed` };
  }
  if (url.username || url.password) return { kind: 'refused', reason: 'credentials in target URL' };
  if (url.origin !== base.origin) return { kind: 'refused', reason: `origin ${url.origin} is not ${base.origin}` };
  return { kind: 'external', url: url.href };
}

/**
 * A `.` or `..` segment in the target's path, also percent-encoded as browsers read it: the link
 * would leave the path it names (/jobs/../../account/delete lands on /account/delete). The server
 * encodes ids as single segments; links stored before that, or sent by others, may hold one.
 */
export function hasDotSegment(target: string): boolean {
  const path = target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').split(/[?#]/)[0] ?? '';
  return path.split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment));
}
