import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SafeTokenStore } from './token-store.ts';

const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret' as const,
  encryptString: (s: string) => Buffer.from(`enc:${Buffer.from(s).toString('base64')}`),
  decryptString: (b: Buffer) => {
    const t = b.toString();
    if (!t.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext');
    return Buffer.from(t.slice(4), 'base64').toString();
  },
} satisfies Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;

describe('a saved token is bound to its server', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokens-'));
    file = path.join(dir, 'token.bin');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is given back for the server it was saved for, and dropped when the server differs', () => {
    let server = 'https://notify.acme.com';
    const store = () => new SafeTokenStore(safeStorage, file, 'linux', () => server);
    store().save('secret-token');
    expect(store().load()).toBe('secret-token');
    expect(new SafeTokenStore(safeStorage, file, 'linux', () => 'https://notify.acme.com/').load()).toBe('secret-token');

    // IT points the app at another server: the token must never be sent there.
    server = 'https://evil.example';
    expect(store().load()).toBeNull();
    expect(fs.existsSync(file)).toBe(false);
    server = 'https://notify.acme.com';
    expect(store().load()).toBeNull();
  });

  it('forgets the in-memory token too when the server changes while running', () => {
    let server = 'https://notify.acme.com';
    const store = new SafeTokenStore(safeStorage, file, 'linux', () => server);
    store.save('secret-token');
    server = 'http://other.example:3000';
    expect(store.load()).toBeNull();
  });

  it('drops a token saved before tokens were bound (no server recorded)', () => {
    fs.writeFileSync(file, safeStorage.encryptString('old-token'));
    expect(new SafeTokenStore(safeStorage, file, 'linux', () => 'https://notify.acme.com').load()).toBeNull();
  });
});
