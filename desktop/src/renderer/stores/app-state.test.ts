import { beforeEach, describe, expect, it } from 'vitest';
import { useAppStateStore } from './app-state.ts';

describe('app state store', () => {
  beforeEach(() => useAppStateStore.getState().reset());

  it('starts connecting with nothing unread', () => {
    expect(useAppStateStore.getState()).toMatchObject({ connection: 'connecting', unread: { count: 0, by_workspace: {} } });
  });

  it('takes the state the platform pushes, and forgets it on reset', () => {
    useAppStateStore.getState().set({ connection: 'online', unread: { count: 3, by_workspace: { w1: 2, w2: 1 }, unseen: 3, unseen_by_workspace: { w1: 2, w2: 1 } } });
    expect(useAppStateStore.getState()).toMatchObject({ connection: 'online', unread: { count: 3, by_workspace: { w1: 2, w2: 1 } } });
    useAppStateStore.getState().set({ connection: 'offline', unread: { count: 3, by_workspace: { w1: 2, w2: 1 }, unseen: 3, unseen_by_workspace: { w1: 2, w2: 1 } } });
    expect(useAppStateStore.getState().connection).toBe('offline');
    useAppStateStore.getState().reset();
    expect(useAppStateStore.getState()).toMatchObject({ connection: 'connecting', unread: { count: 0 } });
  });
});
