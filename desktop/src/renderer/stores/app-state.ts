import { create } from 'zustand';
import type { AppState } from '../../shared/ipc.ts';
import { EMPTY_UNREAD } from '../../shared/unread.ts';

interface AppStateActions {
  set(s: AppState): void;
  reset(): void;
}

const initial: AppState = { connection: 'connecting', unread: EMPTY_UNREAD };

export const useAppStateStore = create<AppState & AppStateActions>()((set) => ({
  ...initial,
  set(s) {
    set(s);
  },
  reset() {
    set(initial);
  },
}));
