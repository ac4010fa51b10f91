import { powerMonitor } from 'electron';

export interface Presence {
  noteActivity(): void;
  noteIdle(): void;
}

/**
 * The tray app's presence: the system's idle time (input anywhere on the machine, not only in
 * the app's windows), looked at every `everyMs`. The reports themselves are throttled by the
 * app core (PresenceReporter), so a busy user costs one request every 30 s.
 */
export function watchSystemIdle(presence: Presence, options: { everyMs?: number; idleAfterSeconds?: number } = {}): () => void {
  const idleAfter = options.idleAfterSeconds ?? 60;
  const check = () => {
    if (powerMonitor.getSystemIdleTime() < idleAfter) presence.noteActivity();
    else presence.noteIdle();
  };
  const timer = setInterval(check, options.everyMs ?? 10_000);
  timer.unref?.();
  check();
  return () => clearInterval(timer);
}
