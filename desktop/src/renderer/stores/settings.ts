import { create } from 'zustand';
import type { DeploymentInfo } from '../../shared/ipc.ts';
import type { LocalSettings } from '../../shared/settings.ts';
import type { Preferences } from '../../shared/types.ts';
import { errorMessage, platform } from '../platform/index.ts';

interface SettingsState {
  settings: LocalSettings | null;
  prefs: Preferences | null;
  prefsError: string | null;
  deployment: DeploymentInfo | null;
  saving: boolean;
  error: string | null;
  savedAt: number | null;
}

interface SettingsActions {
  load(signedIn: boolean): Promise<void>;
  saveSettings(s: Partial<LocalSettings>): Promise<void>;
  savePrefs(p: Preferences): Promise<void>;
  reset(): void;
}

const initial: SettingsState = { settings: null, prefs: null, prefsError: null, deployment: null, saving: false, error: null, savedAt: null };

export const useSettingsStore = create<SettingsState & SettingsActions>()((set) => ({
  ...initial,
  async load(signedIn) {
    try {
      const [settings, deployment] = await Promise.all([platform.settings.get(), platform.deployment.get()]);
      set({ settings, deployment, error: null });
    } catch (err) {
      set({ error: errorMessage(err) });
    }
    if (!signedIn) return;
    try {
      set({ prefs: await platform.preferences.get(), prefsError: null });
    } catch (err) {
      set({ prefsError: errorMessage(err) });
    }
  },
  async saveSettings(s) {
    set({ saving: true, error: null });
    try {
      set({ settings: await platform.settings.set(s), saving: false, savedAt: Date.now() });
    } catch (err) {
      set({ saving: false, error: errorMessage(err) });
    }
  },
  async savePrefs(p) {
    set({ saving: true, prefsError: null });
    try {
      set({ prefs: await platform.preferences.set(p), saving: false, savedAt: Date.now() });
    } catch (err) {
      set({ saving: false, prefsError: errorMessage(err) });
    }
  },
  reset() {
    set(initial);
  },
}));
