import { create } from 'zustand';
import type { ActivityItem, AdminUser, AdminWorkspace } from '../../shared/types.ts';
import { errorMessage, platform } from '../platform/index.ts';
import { apiQueryFromFilters, type ActivityViewFilters } from '../../shared/activity-filters.ts';
import { createFeedStore } from './activity-feed.ts';

export type ActivityFilters = Omit<ActivityViewFilters, 'workspace_id' | 'actor_user_id'>;
export type AdminFilters = ActivityViewFilters;

/**
 * The API query of the window's filters. A live refresh asks for entries after the newest
 * shown (`since`); with a day range, the later of the two bounds applies.
 */
export function feedQuery<F extends ActivityViewFilters>(q: F & { cursor?: string; page_size?: number; since?: string }) {
  const { since, cursor, page_size, ...filters } = q;
  const api = apiQueryFromFilters(filters);
  return { ...api, cursor, page_size, since: since && (!api.since || since > api.since) ? since : api.since };
}

export const useActivityStore = createFeedStore<ActivityFilters>((q) => {
  const { workspace_id: _w, actor_user_id: _a, ...query } = feedQuery(q);
  return platform.activity.list(query);
}, {});
export const useAdminActivityStore = createFeedStore<AdminFilters>((q) => platform.admin.activity(feedQuery(q)), {});

interface AdminRefsState {
  workspaces: AdminWorkspace[];
  users: AdminUser[];
  critical: ActivityItem[];
  criticalError: string | null;
  forbidden: boolean;
}

interface AdminRefsActions {
  load(): Promise<void>;
  loadUsers(workspaceId?: string): Promise<void>;
  loadCritical(): Promise<void>;
  reset(): void;
}

const initialRefs: AdminRefsState = { workspaces: [], users: [], critical: [], criticalError: null, forbidden: false };

/** Filter choices and the critical-events widget of the admin window. */
export const useAdminRefsStore = create<AdminRefsState & AdminRefsActions>()((set, get) => ({
  ...initialRefs,
  async load() {
    try {
      const [ws] = await Promise.all([platform.admin.workspaces(), get().loadUsers(), get().loadCritical()]);
      set({ workspaces: ws.items });
    } catch (err) {
      if ((err as { code?: string }).code === 'forbidden') set({ forbidden: true });
    }
  },
  async loadUsers(workspaceId) {
    const users = await platform.admin.users(workspaceId);
    set({ users: users.items });
  },
  async loadCritical() {
    try {
      const res = await platform.admin.criticalEvents(8);
      set({ critical: res.items, criticalError: null });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'forbidden') throw err;
      // Until the server has the endpoint (404), the widget says so instead of failing the window.
      set({ critical: [], criticalError: code === 'not_found' || code === 'http_404' ? 'Critical events are not available on this server yet.' : errorMessage(err) });
    }
  },
  reset() {
    set(initialRefs);
  },
}));
