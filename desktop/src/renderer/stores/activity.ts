import { create } from 'zustand';
import type { ActivityItem, AdminUser, AdminWorkspace } from '../../shared/types.ts';
import { errorMessage, platform } from '../platform/index.ts';
import { createFeedStore } from './activity-feed.ts';

export interface ActivityFilters {
  type?: string;
}

export interface AdminFilters {
  type?: string;
  workspace_id?: string;
  actor_user_id?: string;
}

export const useActivityStore = createFeedStore<ActivityFilters>((q) => platform.activity.list(q), {});
export const useAdminActivityStore = createFeedStore<AdminFilters>((q) => platform.admin.activity(q), {});

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
