/**
 * Every time and date the app shows is written here, in the user's own locale and zone (the
 * `locale` argument exists for tests), so the list, the detail, the snooze choices and the
 * filters read alike; and the plain words for notification types and their channels.
 */
import type { PreferenceChannel } from '@tray-notify/contract/lists';

type Locale = string | undefined;

/** "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", then the date. */
export function relativeTime(iso: string, now: Date, locale?: Locale): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.round((now.getTime() - t) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d === 1) return 'yesterday';
  if (d < 7) return `${d} days ago`;
  // Older: the date and the time, in the viewer's zone ("Nov 21, 14:05").
  return `${shortDate(iso, now, locale)}, ${clockTime(iso, locale)}`;
}

const sameYear = (t: number, now: Date) => new Date(t).getFullYear() === now.getFullYear();

/** The time of day in the viewer's locale and zone ("14:05", or "2:05 PM"). */
export function clockTime(iso: string | Date, locale?: Locale, timeZone?: string): string {
  return new Date(iso).toLocaleTimeString(locale, { timeStyle: 'short', ...(timeZone ? { timeZone } : {}) });
}

/** "Nov 21" (with the year when it is not this year's). */
export function shortDate(iso: string | Date, now: Date, locale?: Locale): string {
  const t = new Date(iso).getTime();
  return new Date(t).toLocaleDateString(locale, { month: 'short', day: 'numeric', ...(sameYear(t, now) ? {} : { year: 'numeric' }) });
}

/** A moment with its day: "Today, 14:05", "Tomorrow, 08:00", "Sat, Dec 5, 14:05". */
export function dateTime(iso: string | Date, now: Date, locale?: Locale): string {
  const at = new Date(iso);
  const start = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((start(at) - start(now)) / 86_400_000);
  const day =
    days === 0
      ? 'Today'
      : days === -1
        ? 'Yesterday'
        : days === 1
          ? 'Tomorrow'
          : `${at.toLocaleDateString(locale, { weekday: 'short' })}, ${shortDate(at, now, locale)}`;
  return `${day}, ${clockTime(at, locale)}`;
}

/** The full moment, for a tooltip: "Saturday, December 5, 2026 at 14:05 (Asia/Tokyo)". */
export function fullDateTime(iso: string | Date, locale?: Locale): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return `${new Date(iso).toLocaleString(locale, { dateStyle: 'full', timeStyle: 'short' })}${zone ? ` (${zone})` : ''}`;
}

/** The heading of the day group an item falls in: "Today", "Yesterday", "Monday, Nov 23". */
export function dayHeading(iso: string, now: Date, locale?: Locale): string {
  const day = new Date(iso);
  const start = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((start(now) - start(day)) / 86_400_000);
  if (days <= 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return day.toLocaleDateString(locale, { weekday: 'long', month: 'short', day: 'numeric', ...(sameYear(day.getTime(), now) ? {} : { year: 'numeric' }) });
}

/** Types in plain words ("API key revoked"), from the contract. */
export { typeLabel } from '@tray-notify/contract/lists';

/** A notification type's channels in plain words (Settings' columns, the workspace's defaults). */
export const CHANNEL_LABELS: Record<PreferenceChannel, string> = { in_app: 'In app', desktop: 'Desktop', sound: 'Sound', email: 'Email' };

/** Where an activity entry happened: its workspace, or the whole service (super admins only). */
export const workspaceLabel = (item: { workspace_name: string | null }) => item.workspace_name ?? 'All workspaces';
