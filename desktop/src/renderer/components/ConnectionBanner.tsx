import { useAppStateStore } from '../stores/app-state.ts';

/** Says so while the live connection is down or still connecting. */
export function ConnectionBanner() {
  const connection = useAppStateStore((s) => s.connection);
  if (connection === 'online' || connection === 'signed-out') return null;
  return (
    <div className={`banner banner-${connection}`} role="status" data-testid="connection-banner">
      {connection === 'offline' ? 'Offline: retrying, and checking every minute.' : 'Connecting…'}
    </div>
  );
}
