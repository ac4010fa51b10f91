import { useEffect, useState } from 'react';
import { relativeTime } from '../../shared/format.ts';

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
