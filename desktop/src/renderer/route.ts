import { useSyncExternalStore } from 'react';

export type RouteName = 'bell' | 'activity' | 'admin' | 'rules' | 'workspace' | 'settings' | 'login' | 'sound';
const NAMES: readonly RouteName[] = ['bell', 'activity', 'admin', 'rules', 'workspace', 'settings', 'login', 'sound'];

export interface Route {
  name: RouteName;
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = raw.split('?');
  const name = (NAMES as readonly string[]).includes(path) ? (path as RouteName) : 'bell';
  return { name, query: new URLSearchParams(query) };
}

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}
