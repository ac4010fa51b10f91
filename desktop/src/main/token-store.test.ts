import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SafeTokenStore } from './token-store.ts';

const SERVER = 'https://notify.example';

type Backend = ReturnType<SafeStorage['getSelectedStorageBackend']>;

/** safeStorage fake: "encrypts" by reversing and prefixing, so the file never holds the token. */
function fakeSafeStorage(available: boolean, backend: Backend) {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (s: string) => Buffer.from(`enc:${[...s].reverse().join('')}`),
    decryptString: (b: Buffer) => {
      const t = b.toString();
      if (!t.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext');
      return [...t.slice(4)].reverse().join('');
    },
  } satisfies Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;
}

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokens-'));
  file = path.join(dir, 'token.bin');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('SafeTokenStore', () => {
  it('persists the token encrypted where an OS key store exists, and reads it back after a restart', () => {
    new SafeTokenStore(fakeSafeStorage(true, 'gnome_libsecret'), file, 'linux', () => SERVER).save('secret-token');
    expect(fs.readFileSync(file, 'utf8')).not.toContain('secret-token');
    expect(new SafeTokenStore(fakeSafeStorage(true, 'gnome_libsecret'), file, 'linux', () => SERVER).load()).toBe('secret-token');
    expect(new SafeTokenStore(fakeSafeStorage(true, 'unknown'), file, 'darwin', () => SERVER).load()).toBe('secret-token');
  });

  it('keeps the token in memory only where only the plain-text backend exists', () => {
    const store = new SafeTokenStore(fakeSafeStorage(true, 'basic_text'), file, 'linux', () => SERVER);
    store.save('secret-token');
    expect(store.load()).toBe('secret-token');
    expect(fs.existsSync(file)).toBe(false);
    expect(new SafeTokenStore(fakeSafeStorage(true, 'basic_text'), file, 'linux', () => SERVER).load()).toBeNull();
  });

  it('keeps nothing on disk when encryption is unavailable', () => {
    new SafeTokenStore(fakeSafeStorage(false, 'unknown'), file, 'win32', () => SERVER).save('t');
    expect(fs.existsSync(file)).toBe(false);
  });

  it('forgets an unreadable token file (user must log in again)', () => {
    fs.writeFileSync(file, 'garbage');
    expect(new SafeTokenStore(fakeSafeStorage(true, 'kwallet5'), file, 'linux', () => SERVER).load()).toBeNull();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('deletes the file on logout', () => {
    const store = new SafeTokenStore(fakeSafeStorage(true, 'gnome_libsecret'), file, 'linux', () => SERVER);
    store.save('t');
    store.save(null);
    expect(fs.existsSync(file)).toBe(false);
    expect(store.load()).toBeNull();
  });
});

describe('a saved token is bound to its server', () => {
  const safeStorage = fakeSafeStorage(true, 'gnome_libsecret');

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
