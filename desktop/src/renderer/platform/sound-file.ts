import type { SoundName } from '../../shared/sounds.ts';

/** Plays one of the bundled sounds with HTML audio (the web app, and Electron's hidden #/sound page). */
export function playSoundFile(sound: SoundName, volume: number): void {
  const audio = new Audio(`./sounds/${sound}.wav`);
  audio.volume = Math.min(1, Math.max(0, volume));
  void audio.play().catch(() => undefined); // autoplay may be blocked until the user interacted
}
