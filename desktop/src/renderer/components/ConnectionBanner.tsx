import { useEffect, useState } from 'react';
import { useAppStateStore } from '../stores/app-state.ts';

/** A connect usually takes well under this: saying "Connecting…" sooner only flashes on every load. */
const CONNECTING_GRACE_MS = 2000;

/** Says so while the live connection is down, or still connecting after a moment. */
export function ConnectionBanner() {
  const connection = useAppStateStore((s) => s.connection);
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (connection !== 'connecting') return setSlow(false);
    const timer = setTimeout(() => setSlow(true), CONNECTING_GRACE_MS);
    return () => clearTimeout(timer);
  }, [connection]);
  if (connection === 'offline') {
    return (
      <div className="banner banner-offline" role="status" data-testid="connection-banner">
        Offline: retrying, and checking every minute.
      </div>
    );
  }
  if (connection !== 'connecting' || !slow) return null;
  return (
    <div className="banner banner-connecting" role="status" data-testid="connection-banner">
      Connecting…
    </div>
  );
}
