import { useEffect } from 'react';
import { platform } from '../platform/index.ts';
import { playSoundFile } from '../platform/sound-file.ts';

/** Hidden page of the Electron build that plays the sounds the main process asks for. */
export function SoundPage() {
  useEffect(() => platform.on.playSound(({ sound, volume }) => playSoundFile(sound, volume)), []);
  return null;
}
