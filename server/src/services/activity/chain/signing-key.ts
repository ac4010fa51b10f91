import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { Db } from '../../../db/prisma.ts';

export interface SigningKey {
  /** First 16 hex digits of SHA-256 over the public key's DER (SPKI). */
  keyId: string;
  publicKeyPem: string;
  privateKey: KeyObject;
}

const keyIdOf = (publicKeyPem: string) =>
  createHash('sha256').update(createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);

const cache = new WeakMap<object, Promise<SigningKey>>();

/**
 * The server's Ed25519 key for checkpoints and purge entries, kept with the data (in the
 * database, so every instance signs with the same one). The first instance to start makes
 * it; a concurrent first start keeps whichever was stored first (ON CONFLICT DO NOTHING).
 */
export function signingKey(db: Db): Promise<SigningKey> {
  let key = cache.get(db);
  if (!key) {
    key = loadOrCreate(db);
    key.catch(() => cache.delete(db));
    cache.set(db, key);
  }
  return key;
}

async function loadOrCreate(db: Db): Promise<SigningKey> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  await db.$executeRaw`
    INSERT INTO audit_signing_keys (id, public_key_pem, private_key_pem)
    VALUES ('current', ${publicKeyPem}, ${privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()})
    ON CONFLICT (id) DO NOTHING`;
  const [stored] = await db.$queryRaw<{ public_key_pem: string; private_key_pem: string }[]>`
    SELECT public_key_pem, private_key_pem FROM audit_signing_keys WHERE id = 'current'`;
  return { keyId: keyIdOf(stored!.public_key_pem), publicKeyPem: stored!.public_key_pem, privateKey: createPrivateKey(stored!.private_key_pem) };
}

export const signText = (key: SigningKey, text: string) => sign(null, Buffer.from(text, 'utf8'), key.privateKey).toString('base64');

export function verifyText(publicKeyPem: string, text: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(text, 'utf8'), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
