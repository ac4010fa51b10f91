import type { UnreadCount } from './types.ts';

export const EMPTY_UNREAD: UnreadCount = { count: 0, by_workspace: {}, unseen: 0, unseen_by_workspace: {} };

/** "0" .. "99", then "99+": what fits on a badge. */
export function badgeLabel(count: number): string {
  if (count <= 0) return '';
  return count > 99 ? '99+' : String(count);
}

/** Tooltip / title text: "3 unread (Acme Sales 2, Globex Outbound 1) - online". */
export function unreadSummary(unread: UnreadCount, workspaceNames: Record<string, string>, connection: string): string {
  const base = unread.count === 0 ? 'No unread notifications' : `${unread.count} unread`;
  const per = Object.entries(unread.by_workspace)
    .filter(([, n]) => n > 0)
    .map(([id, n]) => `${workspaceNames[id] ?? 'Workspace'} ${n}`);
  const detail = per.length > 1 ? ` (${per.join(', ')})` : '';
  return `${base}${detail} - ${connection}`;
}

/** The counts of an `unread_count` event or answer; a server without seen state counts every unread as unseen. */
export function toUnreadCount(v: unknown): UnreadCount | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  if (typeof o.count !== 'number' || !o.by_workspace || typeof o.by_workspace !== 'object') return null;
  const byWorkspace = o.by_workspace as Record<string, number>;
  const hasUnseen = typeof o.unseen === 'number' && !!o.unseen_by_workspace && typeof o.unseen_by_workspace === 'object';
  return {
    count: o.count,
    by_workspace: byWorkspace,
    unseen: hasUnseen ? (o.unseen as number) : o.count,
    unseen_by_workspace: hasUnseen ? (o.unseen_by_workspace as Record<string, number>) : byWorkspace,
  };
}

/** Applies a local +/-1 (e.g. a new unread notification) until the server's next `unread_count`. */
export function bumpUnread(u: UnreadCount, workspaceId: string, delta: number): UnreadCount {
  const ws = Math.max(0, (u.by_workspace[workspaceId] ?? 0) + delta);
  return { ...u, count: Math.max(0, u.count + delta), by_workspace: { ...u.by_workspace, [workspaceId]: ws } };
}

/** Applies a local +/-1 to the unseen count (a new notification, a list shown) until the server's next count. */
export function bumpUnseen(u: UnreadCount, workspaceId: string, delta: number): UnreadCount {
  const ws = Math.max(0, (u.unseen_by_workspace[workspaceId] ?? 0) + delta);
  return { ...u, unseen: Math.max(0, u.unseen + delta), unseen_by_workspace: { ...u.unseen_by_workspace, [workspaceId]: ws } };
}
