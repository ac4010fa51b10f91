import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a host app's backend proves to this server who is looking at the embedded bell: an
 * HMAC-SHA256, with the workspace's embed secret, of `<workspace id>:<user id>:<unix seconds>`,
 * in hex. The same function signs (host backends, the demo page) and verifies.
 */
export function signEmbedUser(secret: string, workspaceId: string, userId: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${workspaceId}:${userId}:${timestamp}`).digest('hex');
}

/** Constant-time comparison of a presented signature with the expected one. */
export function signatureMatches(expected: string, presented: string): boolean {
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(presented, 'hex');
  // Lengths are not secret (always 32 bytes when well-formed); compare only equal lengths.
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A signature is accepted this long either side of its timestamp (clock skew, page load time). */
export const EMBED_SIGNATURE_MAX_AGE_SECONDS = 300;

/** A bell session lasts this long; the host page signs again on its next load. */
export const EMBED_SESSION_MINUTES = 60;

/**
 * What an embedded bell’s session may call: the inbox, who the user is and its own renewal, nothing else. Mutes
 * are not among them: they hold for every workspace of the user, not the one that signed.
 */
export const EMBED_SCOPE = 'notifications';
export const EMBED_ALLOWED_ROUTES =
  /^\/api\/(notifications(\/(unread-count|:id|mark-all-read|mark-all-seen|stream-ticket|stream))?|me|auth\/logout|embed\/session\/renew)$/;
