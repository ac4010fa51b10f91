#!/usr/bin/env node
/**
 * Verifies an activity chain offline, with nothing but Node:
 *   npm run audit:verify -- audit.ndjson [--public-key key.pem]
 *   node server/scripts/audit-verify.mjs audit.ndjson [--public-key key.pem]
 *
 * The file is GET /api/audit/export's: a header line, every entry of one chain in chain
 * order, then the chain's signed checkpoints. Each entry's hash is recomputed from its
 * content and the previous entry's hash; missing positions are accepted only where a purge
 * entry signed by the server says so; every checkpoint's signature is checked, and so is the
 * entry it names. `--public-key` pins the key (saved earlier from GET /api/audit/public-key);
 * without it the key in the export's header is used.
 *
 * Prints {ok, checked, first_broken, last_checkpoint} as JSON. Exit code: 0 intact, 1 broken,
 * 2 unusable input. Written apart from the server's code on purpose: a second implementation
 * of the documented canonical form (README, "Audit").
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const GENESIS = '0'.repeat(64);

function usage(message) {
  console.error(`${message}\nusage: npm run audit:verify -- <export.ndjson> [--public-key <key.pem>]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const keyAt = args.indexOf('--public-key');
const pinnedKey = keyAt >= 0 ? args[keyAt + 1] : undefined;
if (keyAt >= 0 && !pinnedKey) usage('--public-key needs a file.');
const file = args.find((arg, index) => !arg.startsWith('--') && (keyAt < 0 || index !== keyAt + 1));
if (!file) usage('No export file given.');

async function* records(path) {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (!line.trim()) continue;
    try {
      yield JSON.parse(line);
    } catch {
      usage(`Line ${number} is not JSON.`);
    }
  }
}

const str = (value) => (value === null ? 'null' : JSON.stringify(value));
const utc = (value) => new Date(value).toISOString();

/** The canonical form: a JSON array in a fixed order, meta as the exact text that was hashed. */
function canonical(chain, entry) {
  return `[${[
    str('tray-notify/activity/1'),
    str(chain),
    String(entry.chain_seq),
    str(entry.id),
    str(utc(entry.recorded_at)),
    str(utc(entry.created_at)),
    str(entry.workspace_id),
    str(entry.actor_user_id),
    str(entry.type),
    str(entry.entity_type),
    str(entry.entity_id),
    str(entry.summary),
    str(entry.severity),
    entry.meta_json,
  ].join(',')}]`;
}

const hashOf = (chain, entry) =>
  createHash('sha256').update(Buffer.from(entry.prev_hash, 'hex')).update(canonical(chain, entry), 'utf8').digest('hex');

function signedBy(publicKey, text, signature) {
  try {
    return verify(null, Buffer.from(text, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

// First pass: the header, the purge entries and the checkpoints.
let header;
let publicKey;
let purgedUpTo = 0n;
const checkpoints = new Map();
const badCheckpoints = [];
let lastCheckpoint = null;
let firstBroken = null;
const broken = (entry, reason) => {
  firstBroken ??= { id: entry?.id ?? '', recorded_at: entry?.recorded_at ?? new Date(0).toISOString(), reason };
};

for await (const record of records(file)) {
  if (record.kind === 'header') {
    header = record;
    if (record.format !== 'tray-notify/audit-export/1') usage(`Unknown export format ${record.format}.`);
    const pem = pinnedKey ? readFileSync(pinnedKey, 'utf8') : record.public_key_pem;
    try {
      publicKey = createPublicKey(pem);
    } catch {
      usage('The public key is not a PEM key.');
    }
    if (pinnedKey && createPublicKey(record.public_key_pem).export({ format: 'der', type: 'spki' }).compare(publicKey.export({ format: 'der', type: 'spki' })) !== 0) {
      broken(null, "the export's public key is not the pinned one");
    }
  } else if (!header) {
    usage('The first line must be the header.');
  } else if (record.kind === 'checkpoint') {
    const text = `tray-notify/checkpoint/1\n${header.chain}\n${record.chain_seq}\n${record.hash}\n${utc(record.signed_at)}`;
    if (record.chain === header.chain && signedBy(publicKey, text, record.signature)) checkpoints.set(String(record.chain_seq), record.hash);
    else badCheckpoints.push(String(record.chain_seq));
    lastCheckpoint = record;
  } else if (record.kind === 'entry' && record.type === 'activity.pruned') {
    const meta = JSON.parse(record.meta_json);
    if (typeof meta.signature !== 'string' || typeof meta.up_to_seq !== 'string') continue;
    const text = `tray-notify/purge/1\n${header.chain}\n${meta.up_to_seq}\n${meta.deleted}\n${meta.policy}\n${utc(meta.purged_at)}`;
    if (!signedBy(publicKey, text, meta.signature)) broken(record, 'purge entry with an invalid signature');
    else if (BigInt(meta.up_to_seq) > purgedUpTo) purgedUpTo = BigInt(meta.up_to_seq);
  }
}
if (!header) usage('The file has no header line.');

// Second pass: the entries in chain order.
let checked = 0;
let previous;
for await (const entry of records(file)) {
  if (entry.kind !== 'entry') continue;
  checked++;
  const seq = BigInt(entry.chain_seq);
  let reason;
  if (hashOf(header.chain, entry) !== entry.hash) reason = 'content does not match its hash (changed after it was recorded)';
  else if (checkpoints.has(String(seq)) && checkpoints.get(String(seq)) !== entry.hash) reason = `differs from the signed checkpoint at position ${seq}`;
  else if (!previous) {
    if (seq === 1n ? entry.prev_hash !== GENESIS : seq - 1n > purgedUpTo) reason = seq === 1n ? 'first entry does not start from the genesis hash' : `${seq - 1n} entries before this one are missing`;
  } else if (seq === previous.seq) reason = `position ${seq} is taken twice (an entry was inserted)`;
  else if (seq < previous.seq) reason = 'out of order';
  else if (seq === previous.seq + 1n) {
    if (entry.prev_hash !== previous.hash) reason = "prev_hash is not the previous entry's hash (an entry was inserted or replaced)";
  } else if (seq - 1n > purgedUpTo) reason = `${seq - previous.seq - 1n} entries missing before this one (positions ${previous.seq + 1n}-${seq - 1n}, deleted)`;
  if (reason) broken(entry, reason);
  previous = { seq, hash: entry.hash, entry };
}
for (const seq of badCheckpoints) broken(null, `checkpoint at position ${seq} has an invalid signature`);
for (const seq of checkpoints.keys()) {
  if (!previous || BigInt(seq) > previous.seq) broken(previous?.entry, `entries up to the signed checkpoint at position ${seq} are missing`);
}

console.log(JSON.stringify({ ok: firstBroken === null, checked, chain: header.chain, first_broken: firstBroken, last_checkpoint: lastCheckpoint }, null, 2));
process.exit(firstBroken === null ? 0 : 1);
