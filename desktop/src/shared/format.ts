/** "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", then the date. */
export function relativeTime(iso: string, now: Date): string {
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
  return `${new Date(t).toLocaleDateString('en-US', { month: 'short', day: 'numeric', ...(sameYear(t, now) ? {} : { year: 'numeric' }) })}, ${clockTime(iso)}`;
}

const sameYear = (t: number, now: Date) => new Date(t).getFullYear() === now.getFullYear();

/** "14:05" in the viewer's zone. */
export function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

/** The heading of the day group an item falls in: "Today", "Yesterday", "Monday, Nov 23". */
export function dayHeading(iso: string, now: Date): string {
  const day = new Date(iso);
  const start = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((start(now) - start(day)) / 86_400_000);
  if (days <= 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return day.toLocaleDateString('en-US', { weekday: 'long', month: 'short', day: 'numeric', ...(sameYear(day.getTime(), now) ? {} : { year: 'numeric' }) });
}

/** Types in plain words ("API key revoked"), from the contract. */
export { typeLabel } from '@tray-notify/contract/lists';

/** Where an activity entry happened: its workspace, or the whole service (super admins only). */
export const workspaceLabel = (item: { workspace_name: string | null }) => item.workspace_name ?? 'All workspaces';
