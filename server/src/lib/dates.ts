import { badRequest } from './errors.ts';

/**
 * Years 1–9999: what ISO 8601 without a sign writes, and within PostgreSQL's timestamptz
 * range (year 0 and JavaScript's six-digit years are not).
 */
export const isStorableDate = (date: Date) => {
  const year = date.getUTCFullYear();
  return !Number.isNaN(date.getTime()) && year >= 1 && year <= 9999;
};

/** How far ahead of the server's clock a reporter's clock may run. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
/** How far back a reported event may lie (history imports of up to a year). */
export const MAX_REPORTED_AGE_MS = 366 * 24 * 3600 * 1000;

/**
 * When another system says something happened: not in the future beyond clock skew, not
 * older than a year, so a sender's clock cannot pin rows to the top or bottom of a feed.
 */
export function reportedTime(value: string, field: string, now = Date.now()): Date {
  const date = new Date(value);
  if (!isStorableDate(date) || date.getTime() > now + MAX_CLOCK_SKEW_MS || date.getTime() < now - MAX_REPORTED_AGE_MS) {
    throw badRequest(
      `${field} must be within the last year and at most ${MAX_CLOCK_SKEW_MS / 60_000} minutes ahead of the server's clock (got ${value}).`,
    );
  }
  return date;
}
