import type { LiveUpdates } from '../../shared/live-updates.ts';
import type { AppSession } from '../../shared/session.ts';
import type { DeploymentInfo } from '../../shared/ipc.ts';
import type { LocalSettings } from '../../shared/settings.ts';
import { isSoundName } from '../../shared/sounds.ts';
import { handle } from '../ipc.ts';

/** The deployment's view of the two settings IT can manage (registerDeployment's handle). */
export interface ManagedSettingsDeps {
  /** `deployment:get`: effective values, and whether IT locked them. */
  deployment: () => DeploymentInfo;
  /** Saves the user's choice and applies the login item. */
  setStartAtLogin: (enabled: boolean) => void;
  /** Saves the user's server; throws when the URL is invalid. */
  setServerUrl: (url: string) => void;
}

export interface SettingsHandlerDeps extends ManagedSettingsDeps {
  session: Pick<AppSession, 'getSettings' | 'setSettings'>;
  live: Pick<LiveUpdates, 'getPreferences' | 'setPreferences' | 'testSound'>;
}

const sameUrl = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/**
 * Hands the user's change of the server URL or start at login to the deployment, which
 * keeps them with its precedence; call before the session applies the settings. A locked
 * or unchanged value is left alone (the settings store shows IT's value either way).
 */
export function routeManagedSettings(
  partial: Partial<Pick<LocalSettings, 'serverUrl' | 'startAtLogin'>>,
  current: Pick<LocalSettings, 'serverUrl' | 'startAtLogin'>,
  deps: ManagedSettingsDeps,
): void {
  const d = deps.deployment();
  if (typeof partial.serverUrl === 'string' && !sameUrl(partial.serverUrl, current.serverUrl) && !d.serverUrlLocked) {
    deps.setServerUrl(partial.serverUrl);
  }
  if (typeof partial.startAtLogin === 'boolean' && partial.startAtLogin !== current.startAtLogin && !d.startAtLoginLocked) {
    deps.setStartAtLogin(partial.startAtLogin);
  }
}

export function registerSettingsHandlers(deps: SettingsHandlerDeps): void {
  const { session, live, deployment } = deps;
  handle('settings:get', () => session.getSettings());
  handle('settings:set', (partial) => {
    const p = partial ?? {};
    routeManagedSettings(p, session.getSettings(), deps);
    return session.setSettings(p);
  });
  handle('preferences:get', () => live.getPreferences());
  handle('preferences:set', (prefs) => live.setPreferences(prefs));
  handle('sound:test', ({ sound, volume }) => {
    if (!isSoundName(sound)) throw new Error(`unknown sound ${String(sound)}`);
    live.testSound(sound, typeof volume === 'number' ? volume : undefined);
  });
  handle('deployment:get', () => deployment());
}
