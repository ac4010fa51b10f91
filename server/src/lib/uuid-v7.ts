import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let counter = 0;
// Random bytes drawn from the system 4 KiB at a time: one call per id cost more than the rest.
const RANDOM_POOL = 4096;
let random = Buffer.alloc(0);
let taken = RANDOM_POOL;

/**
 * A UUIDv7 (RFC 9562) made here, for rows whose id is needed before their insert: the same
 * kind as the database's `uuid_v7()` column defaults, and increasing within this process (a
 * 12-bit counter in rand_a orders ids made in the same millisecond), so ids of one batch sort
 * in the order they were made, as the feed's tie-break expects.
 */
export function uuidV7(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xfff) {
    // 4,096 ids in one millisecond: borrow the next one rather than repeat an order.
    lastMs += 1;
    counter = 0;
  }
  if (taken + 16 > random.length) {
    random = randomFillSync(Buffer.allocUnsafe(RANDOM_POOL));
    taken = 0;
  }
  const bytes = Buffer.from(random.subarray(taken, (taken += 16)));
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
