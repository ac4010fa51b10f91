import { create } from 'zustand';
import { CoalescedSave } from '../../shared/coalesced-save.ts';
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
  /** A refused change of the settings or preferences, to send again with Retry. */
  retry: (() => Promise<void>) | null;
}

interface SettingsActions {
  load(signedIn: boolean): Promise<void>;
  /** Shown at once; saved in order with the changes made around it. */
  saveSettings(s: Partial<LocalSettings>): Promise<void>;
  savePrefs(p: Preferences): Promise<void>;
  /** A change of the preferences as they are now (not as a render saw them). */
  updatePrefs(change: (p: Preferences) => Preferences): Promise<void>;
  reset(): void;
}

const initial: SettingsState = { settings: null, prefs: null, prefsError: null, deployment: null, saving: false, error: null, savedAt: null, retry: null };

export const useSettingsStore = create<SettingsState & SettingsActions>()((set, get) => {
  // What the other side last confirmed: a refusal shows it again, with the reason and Retry.
  let savedSettings: LocalSettings | null = null;
  let savedPrefs: Preferences | null = null;
  const busy = () => settingsSaver.busy || prefsSaver.busy;

  const settingsSaver = new CoalescedSave<Partial<LocalSettings>, LocalSettings>(
    (s) => platform.settings.set(s),
    {
      saved: (settings) => {
        savedSettings = settings;
        set({ settings, saving: busy(), savedAt: Date.now(), error: null, retry: null });
      },
      failed: (err, value) => {
        set({ settings: savedSettings, saving: busy(), error: errorMessage(err), retry: () => get().saveSettings(value) });
      },
    },
    (waiting, next) => ({ ...waiting, ...next }),
  );
  const prefsSaver = new CoalescedSave<Preferences>((p) => platform.preferences.set(p), {
    saved: (prefs) => {
      savedPrefs = prefs;
      set({ prefs, saving: busy(), savedAt: Date.now(), prefsError: null, retry: null });
    },
    failed: (err, value) => {
      set({ prefs: savedPrefs, saving: busy(), prefsError: errorMessage(err), retry: () => get().savePrefs(value) });
    },
  });

  return {
    ...initial,
    async load(signedIn) {
      try {
        const [settings, deployment] = await Promise.all([platform.settings.get(), platform.deployment.get()]);
        // A save under way keeps what the user just changed on screen.
        if (!settingsSaver.busy) {
          savedSettings = settings;
          set({ settings });
        }
        set({ deployment, error: null });
      } catch (err) {
        set({ error: errorMessage(err) });
      }
      if (!signedIn) return;
      try {
        const prefs = await platform.preferences.get();
        if (!prefsSaver.busy) {
          savedPrefs = prefs;
          set({ prefs, prefsError: null });
        }
      } catch (err) {
        set({ prefsError: errorMessage(err) });
      }
    },
    saveSettings(s) {
      const current = get().settings;
      set({ saving: true, error: null, retry: null, ...(current ? { settings: { ...current, ...s } } : {}) });
      return settingsSaver.save(s);
    },
    savePrefs(p) {
      set({ prefs: p, saving: true, prefsError: null, retry: null });
      return prefsSaver.save(p);
    },
    updatePrefs(change) {
      const prefs = get().prefs;
      return prefs ? get().savePrefs(change(prefs)) : Promise.resolve();
    },
    reset() {
      savedSettings = null;
      savedPrefs = null;
      set(initial);
    },
  };
});
