import fs from 'node:fs';
import type { SettingsStore } from '../shared/session.ts';
import type { DeploymentInfo } from '../shared/ipc.ts';
import { DEFAULT_SETTINGS, sanitizeSettings, type LocalSettings } from '../shared/settings.ts';

type Fs = Pick<typeof fs, 'existsSync' | 'readFileSync' | 'writeFileSync'>;

/**
 * The user's settings in <userData>/settings.json. The server URL and start at login come
 * from the deployment (IT's configuration and the user's choice saved through it).
 */
export class JsonSettingsStore implements SettingsStore {
  constructor(
    private readonly file: string,
    private readonly deployment: () => DeploymentInfo,
    private readonly fsImpl: Fs = fs,
  ) {}

  /** The user's own choices, before IT overrides. */
  loadUser(): LocalSettings {
    try {
      if (!this.fsImpl.existsSync(this.file)) return DEFAULT_SETTINGS;
      return sanitizeSettings(JSON.parse(this.fsImpl.readFileSync(this.file, 'utf8')));
    } catch {
      return DEFAULT_SETTINGS;
    }
  }

  load(): LocalSettings {
    return this.applyManaged(this.loadUser());
  }

  save(next: LocalSettings): LocalSettings {
    const d = this.deployment();
    const user = this.loadUser();
    const toWrite: LocalSettings = {
      ...next,
      serverUrl: d.serverUrlLocked ? user.serverUrl : next.serverUrl,
      startAtLogin: d.startAtLoginLocked ? user.startAtLogin : next.startAtLogin,
    };
    this.fsImpl.writeFileSync(this.file, JSON.stringify(toWrite, null, 2));
    return this.applyManaged(toWrite);
  }

  private applyManaged(s: LocalSettings): LocalSettings {
    const d = this.deployment();
    return {
      ...s,
      // The deployment resolves these two with the user's own choice (deployment/user-settings.ts);
      // settings.json's server URL is only the fallback when nobody chose one.
      serverUrl: d.serverUrl ?? s.serverUrl,
      webAppBaseUrl: d.webAppBaseUrl ?? s.webAppBaseUrl,
      startAtLogin: d.startAtLogin,
    };
  }
}
