import { useEffect, useRef, useState } from 'react';
import { relativeTime } from '../../shared/format.ts';
import { useAppStateStore } from '../stores/app-state.ts';

const nowListeners = new Set<(d: Date) => void>();
setInterval(() => {
  const d = new Date();
  nowListeners.forEach((l) => l(d));
}, 30_000);

/** Re-renders every 30 s so "5 min ago" stays true. */
export function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    nowListeners.add(setNow);
    return () => {
      nowListeners.delete(setNow);
    };
  }, []);
  return now;
}

export function RelativeTime({ iso }: { iso: string }) {
  const now = useNow();
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()}>
      {relativeTime(iso, now)}
    </time>
  );
}

export function ConnectionBanner() {
  const connection = useAppStateStore((s) => s.connection);
  if (connection === 'online' || connection === 'signed-out') return null;
  return (
    <div className={`banner banner-${connection}`} role="status" data-testid="connection-banner">
      {connection === 'offline' ? 'Offline: retrying, and checking every minute.' : 'Connecting…'}
    </div>
  );
}

/** Calls `onVisible` when the sentinel scrolls into view: infinite scroll. */
export function LoadMore({ onVisible, hasMore, loading }: { onVisible: () => void; hasMore: boolean; loading: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const cb = useRef(onVisible);
  cb.current = onVisible;
  useEffect(() => {
    const el = ref.current;
    if (!el || !hasMore) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) cb.current();
    });
    io.observe(el);
    return () => io.disconnect();
  }, [hasMore]);
  if (!hasMore) return null;
  return (
    <div ref={ref} className="load-more">
      <button type="button" className="link" onClick={() => cb.current()} disabled={loading}>
        {loading ? 'Loading…' : 'Load more'}
      </button>
    </div>
  );
}

export function ErrorLine({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {error}
    </p>
  );
}

export function typeLabel(type: string): string {
  const s = type.replace(/[._]/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

