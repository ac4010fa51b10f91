import type { AppService } from '../../shared/app-service.ts';
import { isSoundName } from '../../shared/sounds.ts';
import type { DeploymentProvider } from '../deployment.ts';
import { handle } from '../ipc.ts';

export interface SettingsHandlerDeps {
  service: Pick<AppService, 'getSettings' | 'setSettings' | 'getPreferences' | 'setPreferences' | 'testSound'>;
  deployment: DeploymentProvider;
  /** app.setLoginItemSettings; not called when IT manages it. */
  setStartAtLogin: (enabled: boolean) => void;
}

export function registerSettingsHandlers({ service, deployment, setStartAtLogin }: SettingsHandlerDeps): void {
  handle('settings:get', () => service.getSettings());
  handle('settings:set', (partial) => {
    const before = service.getSettings().startAtLogin;
    const after = service.setSettings(partial ?? {});
    if (after.startAtLogin !== before && !deployment().startAtLoginLocked) setStartAtLogin(after.startAtLogin);
    return after;
  });
  handle('preferences:get', () => service.getPreferences());
  handle('preferences:set', (prefs) => service.setPreferences(prefs));
  handle('sound:test', ({ sound, volume }) => {
    if (!isSoundName(sound)) throw new Error(`unknown sound ${String(sound)}`);
    service.testSound(sound, typeof volume === 'number' ? volume : undefined);
  });
  handle('deployment:get', () => deployment());
}
