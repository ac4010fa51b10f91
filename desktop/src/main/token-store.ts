import fs from 'node:fs';
import type { SafeStorage } from 'electron';
import type { TokenStore } from '../shared/session.ts';

type Fs = Pick<typeof fs, 'existsSync' | 'readFileSync' | 'writeFileSync' | 'rmSync'>;

/** A server URL as the settings may spell it (trailing slash or not), for comparison. */
const sameServer = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/**
 * Keeps the auth token encrypted with the OS keychain (safeStorage). Where only Chromium's
 * plain-text backend exists (Linux without a secret service), the token is kept in memory
 * only and never written: the user logs in again after a restart.
 *
 * A token is bound to the server it was issued by: when the configured server differs (IT
 * changed it, or the user did), it is dropped instead of being sent to another server.
 */
export class SafeTokenStore implements TokenStore {
  private memory: { server: string; token: string } | null = null;

  constructor(
    private readonly safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>,
    private readonly file: string,
    private readonly platform: NodeJS.Platform,
    /** The server the app talks to now (the effective settings). */
    private readonly currentServer: () => string,
    private readonly fsImpl: Fs = fs,
  ) {}

  /** True when the token can be persisted encrypted by a real OS key store. */
  canPersist(): boolean {
    if (!this.safeStorage.isEncryptionAvailable()) return false;
    if (this.platform === 'linux') {
      const backend = this.safeStorage.getSelectedStorageBackend();
      return backend !== 'basic_text' && backend !== 'unknown';
    }
    return true;
  }

  load(): string | null {
    const saved = this.memory ?? this.read();
    if (saved && sameServer(saved.server, this.currentServer())) {
      this.memory = saved;
      return saved.token;
    }
    // Another server (or none recorded): this token must not be sent there.
    if (saved) this.save(null);
    return null;
  }

  save(token: string | null): void {
    this.memory = token === null ? null : { server: this.currentServer(), token };
    if (this.memory === null || !this.canPersist()) {
      this.fsImpl.rmSync(this.file, { force: true });
      return;
    }
    this.fsImpl.writeFileSync(this.file, this.safeStorage.encryptString(JSON.stringify(this.memory)), { mode: 0o600 });
  }

  private read(): { server: string; token: string } | null {
    if (!this.canPersist() || !this.fsImpl.existsSync(this.file)) return null;
    try {
      const saved = JSON.parse(this.safeStorage.decryptString(this.fsImpl.readFileSync(this.file))) as unknown;
      if (saved && typeof saved === 'object' && 'server' in saved && 'token' in saved) {
        const { server, token } = saved as Record<string, unknown>;
        if (typeof server === 'string' && typeof token === 'string') return { server, token };
      }
      throw new Error('not a bound token');
    } catch {
      // Unreadable (other user, key store reset) or from before tokens were bound: forget it;
      // the user logs in again.
      this.fsImpl.rmSync(this.file, { force: true });
      return null;
    }
  }
}
