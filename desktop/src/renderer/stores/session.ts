import { create } from 'zustand';
import type { LoginRequest, Session } from '../../shared/ipc.ts';
import { errorMessage, platform } from '../platform/index.ts';

interface SessionState {
  session: Session | null;
  loading: boolean;
  error: string | null;
}

interface SessionActions {
  load(): Promise<void>;
  set(session: Session): void;
  login(req: LoginRequest): Promise<boolean>;
  logout(): Promise<void>;
  switchWorkspace(workspaceId: string): Promise<void>;
  reset(): void;
}

const initial: SessionState = { session: null, loading: true, error: null };

export const useSessionStore = create<SessionState & SessionActions>()((set) => ({
  ...initial,
  async load() {
    try {
      set({ session: await platform.session.get(), loading: false, error: null });
    } catch (err) {
      set({ loading: false, error: errorMessage(err) });
    }
  },
  set(session) {
    set({ session, loading: false });
  },
  async login(req) {
    set({ error: null });
    try {
      set({ session: await platform.session.login(req), loading: false });
      return true;
    } catch (err) {
      set({ error: errorMessage(err) });
      return false;
    }
  },
  async logout() {
    set({ session: await platform.session.logout() });
  },
  async switchWorkspace(workspaceId) {
    try {
      set({ session: await platform.session.switchWorkspace(workspaceId), error: null });
    } catch (err) {
      set({ error: errorMessage(err) });
    }
  },
  reset() {
    set(initial);
  },
}));
