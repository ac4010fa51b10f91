import { type Algorithm, hash, verify } from '@node-rs/argon2';

// OWASP's Argon2id recommendation: 19 MiB memory, 2 iterations, 1 lane.
// (Algorithm is a const enum, which isolated modules cannot read: 2 is Algorithm.Argon2id.)
const ARGON2_OPTIONS = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, ARGON2_OPTIONS);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash never authenticates
  }
}

/** Verified against when the account does not exist, so timing does not reveal which emails exist. */
let dummyHash: Promise<string> | undefined;
export const dummyPasswordHash = () => (dummyHash ??= hashPassword('no-such-account'));
