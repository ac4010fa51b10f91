import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PREFERENCES } from '../../shared/alert-rules.ts';
import type { DeploymentInfo } from '../../shared/ipc.ts';
import { DEFAULT_SETTINGS } from '../../shared/settings.ts';
import { appError, errorMessage, fakePlatform } from '../../testing/fake-platform.ts';

const platform = fakePlatform();
vi.mock('../platform/index.ts', () => ({ platform, errorMessage }));
const { useSettingsStore } = await import('./settings.ts');

const deployment: DeploymentInfo = {
  serverUrl: 'https://it.example.com',
  serverUrlLocked: true,
  webAppBaseUrl: null,
  startAtLogin: true,
  startAtLoginLocked: false,
  autoUpdate: true,
  problems: [],
};

describe('settings store', () => {
  beforeEach(() => {
    useSettingsStore.getState().reset();
    for (const group of [platform.settings, platform.deployment, platform.preferences]) for (const fn of Object.values(group)) fn.mockReset();
    platform.settings.get.mockResolvedValue(DEFAULT_SETTINGS);
    platform.deployment.get.mockResolvedValue(deployment);
  });

  it('loads the local settings and the deployment; the server preferences only when signed in', async () => {
    await useSettingsStore.getState().load(false);
    expect(useSettingsStore.getState()).toMatchObject({ settings: DEFAULT_SETTINGS, deployment, prefs: null });
    expect(platform.preferences.get).not.toHaveBeenCalled();

    platform.preferences.get.mockResolvedValue(DEFAULT_PREFERENCES);
    await useSettingsStore.getState().load(true);
    expect(useSettingsStore.getState()).toMatchObject({ prefs: DEFAULT_PREFERENCES, prefsError: null });
  });

  it('shows the local settings even when the server has no preferences to give', async () => {
    platform.preferences.get.mockRejectedValue(appError('preferences_unavailable', 'This server does not offer notification preferences.'));
    await useSettingsStore.getState().load(true);
    expect(useSettingsStore.getState()).toMatchObject({
      settings: DEFAULT_SETTINGS,
      prefs: null,
      prefsError: 'This server does not offer notification preferences.',
      error: null,
    });
  });

  it('keeps the settings the platform saved (a managed deployment may override a field), not the ones asked for', async () => {
    await useSettingsStore.getState().load(false);
    platform.settings.set.mockResolvedValue({ ...DEFAULT_SETTINGS, volume: 0.2, serverUrl: 'https://it.example.com' });
    await useSettingsStore.getState().saveSettings({ volume: 0.2, serverUrl: 'https://mine.example.com' });
    expect(platform.settings.set).toHaveBeenCalledWith({ volume: 0.2, serverUrl: 'https://mine.example.com' });
    expect(useSettingsStore.getState()).toMatchObject({ settings: { volume: 0.2, serverUrl: 'https://it.example.com' }, saving: false, error: null });
    expect(useSettingsStore.getState().savedAt).not.toBeNull();
  });

  it('keeps the previous settings and says why when saving fails', async () => {
    await useSettingsStore.getState().load(false);
    platform.settings.set.mockRejectedValue(new Error('The server URL is not a valid URL.'));
    await useSettingsStore.getState().saveSettings({ serverUrl: 'nope' });
    expect(useSettingsStore.getState()).toMatchObject({ settings: DEFAULT_SETTINGS, saving: false, error: 'The server URL is not a valid URL.', savedAt: null });
  });

  it('saves preferences on the server and shows what it answered; a refusal leaves them as they were', async () => {
    platform.preferences.get.mockResolvedValue(DEFAULT_PREFERENCES);
    await useSettingsStore.getState().load(true);
    const muted = { ...DEFAULT_PREFERENCES, muted: true };
    platform.preferences.set.mockResolvedValueOnce(muted);
    await useSettingsStore.getState().savePrefs(muted);
    expect(useSettingsStore.getState()).toMatchObject({ prefs: { muted: true }, prefsError: null, saving: false });

    platform.preferences.set.mockRejectedValueOnce(appError('validation_error', 'quiet_hours.start must be HH:MM'));
    await useSettingsStore.getState().savePrefs({ ...muted, quiet_hours: { ...muted.quiet_hours, start: '25:00' } });
    expect(useSettingsStore.getState()).toMatchObject({ prefs: { muted: true }, prefsError: 'quiet_hours.start must be HH:MM', saving: false });
    expect(useSettingsStore.getState().prefs?.quiet_hours.start).toBe(DEFAULT_PREFERENCES.quiet_hours.start);
  });
});
