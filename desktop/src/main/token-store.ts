import fs from 'node:fs';
import type { SafeStorage } from 'electron';
import type { TokenStore } from '../shared/session.ts';

type Fs = Pick<typeof fs, 'existsSync' | 'readFileSync' | 'writeFileSync' | 'rmSync'>;

/**
 * Keeps the auth token encrypted with the OS keychain (safeStorage). Where only Chromium's
 * plain-text backend exists (Linux without a secret service), the token is kept in memory
 * only and never written: the user logs in again after a restart.
 */
export class SafeTokenStore implements TokenStore {
  private memory: string | null = null;

  constructor(
    private readonly safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>,
    private readonly file: string,
    private readonly platform: NodeJS.Platform,
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
    if (this.memory) return this.memory;
    if (!this.canPersist() || !this.fsImpl.existsSync(this.file)) return null;
    try {
      this.memory = this.safeStorage.decryptString(this.fsImpl.readFileSync(this.file));
      return this.memory;
    } catch {
      // Unreadable (other user, key store reset): forget it; the user logs in again.
      this.fsImpl.rmSync(this.file, { force: true });
      return null;
    }
  }

  save(token: string | null): void {
    this.memory = token;
    if (token === null || !this.canPersist()) {
      this.fsImpl.rmSync(this.file, { force: true });
      return;
    }
    this.fsImpl.writeFileSync(this.file, this.safeStorage.encryptString(token), { mode: 0o600 });
  }
}
