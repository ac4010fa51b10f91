import { liveLabel } from '../../shared/live-state.ts';
import { useAppStateStore } from '../stores/app-state.ts';

/** The stream's state in the header: "Live · last event 10:42", "Reconnecting…". */
export function LiveState() {
  const connection = useAppStateStore((s) => s.connection);
  const lastEventAt = useAppStateStore((s) => s.lastEventAt);
  const alertsHere = useAppStateStore((s) => s.alertsHere);
  return (
    <p className={`live-state live-${connection}`} role="status" data-testid="live-state">
      <span className="live-dot" aria-hidden="true" />
      {liveLabel({ connection, lastEventAt, alertsHere })}
    </p>
  );
}
