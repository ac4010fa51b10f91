import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, resetElectronFake } from '../testing/electron-fake.ts';

vi.mock('electron', async () => (await import('../testing/electron-fake.ts')).electronFake);
const { SoundPlayer } = await import('./sound.ts');

describe('SoundPlayer', () => {
  beforeEach(() => resetElectronFake());

  it('plays in one hidden page with the security settings of every window, allowed to play without a click', () => {
    const player = new SoundPlayer('/app/preload.cjs', { warn: vi.fn() });
    player.play('chime', 0.5);
    player.play('chime', 0.5);
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    const w = FakeBrowserWindow.instances[0]!;
    expect(w.options.show).toBe(false);
    expect(w.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      disableBlinkFeatures: 'Auxclick',
      preload: '/app/preload.cjs',
      autoplayPolicy: 'no-user-gesture-required',
    });
    expect(w.loadURL).toHaveBeenCalledWith('app://bundle/index.html#/sound');
    expect(w.webContents.setWindowOpenHandler).toHaveBeenCalled();
  });
});
