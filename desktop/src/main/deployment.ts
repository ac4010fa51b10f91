import type { DeploymentInfo } from '../shared/ipc.ts';
import type { LocalSettings } from '../shared/settings.ts';

/** Provides `deployment:get`. The packaging work (issue 6) replaces this with machine-wide configuration. */
export type DeploymentProvider = () => DeploymentInfo;

/** Nothing is managed: everything comes from the user's own settings. */
export function userSettingsDeployment(userSettings: () => LocalSettings): DeploymentProvider {
  return () => {
    const s = userSettings();
    return {
      serverUrl: s.serverUrl,
      serverUrlLocked: false,
      webAppBaseUrl: s.webAppBaseUrl,
      startAtLogin: s.startAtLogin,
      startAtLoginLocked: false,
      autoUpdate: false,
      problems: [],
    };
  };
}
