import { createHash } from 'node:crypto';
import type { ActivityColumns } from '../activity-sql.ts';

/**
 * The hash chain's definitions, as the database computes them (activity_canonical() and the
 * activities_chain trigger) and as scripts/audit-verify.mjs recomputes them offline. Changing
 * any of this breaks every existing chain: a new form needs a new version tag.
 */

/** The prev_hash of each chain's first entry. */
export const GENESIS_HASH = '0'.repeat(64);
/** The chain of the entries that belong to no workspace. */
export const SERVICE_CHAIN = 'service';
export const CANONICAL_VERSION = 'tray-notify/activity/1';

export const chainOf = (workspaceId: string | null) => workspaceId ?? SERVICE_CHAIN;

/** What an entry's hash covers. `metaJson`: the meta as PostgreSQL's jsonb text (`meta::text`). */
export interface ChainedFields extends Omit<ActivityColumns, 'createdAt'> {
  chain: string;
  chainSeq: string | number | bigint;
  recordedAt: Date | string;
  createdAt: Date | string;
  metaJson: string;
}

const json = (value: string | null) => (value === null ? 'null' : JSON.stringify(value));
const utc = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString();

/** A JSON array in a fixed order, strings escaped as JSON, times in UTC to the millisecond. */
export function canonicalEntry(entry: ChainedFields): string {
  return `[${[
    json(CANONICAL_VERSION),
    json(entry.chain),
    String(entry.chainSeq),
    json(entry.id),
    json(utc(entry.recordedAt)),
    json(utc(entry.createdAt)),
    json(entry.workspaceId),
    json(entry.actorUserId),
    json(entry.type),
    json(entry.entityType),
    json(entry.entityId),
    json(entry.summary),
    json(entry.severity),
    entry.metaJson,
  ].join(',')}]`;
}

/** SHA-256 (hex) of the previous hash's 32 bytes followed by the canonical form's UTF-8. */
export function entryHash(prevHash: string, entry: ChainedFields): string {
  return createHash('sha256').update(Buffer.from(prevHash, 'hex')).update(canonicalEntry(entry), 'utf8').digest('hex');
}

/** The text a checkpoint's signature covers. */
export const checkpointMessage = (checkpoint: { chain: string; chainSeq: string | number | bigint; hash: string; signedAt: Date | string }) =>
  `tray-notify/checkpoint/1\n${checkpoint.chain}\n${checkpoint.chainSeq}\n${checkpoint.hash}\n${utc(checkpoint.signedAt)}`;

/** The text a purge entry's signature covers. */
export const purgeMessage = (purge: { chain: string; upToSeq: string | number | bigint; deleted: number; policy: string; purgedAt: Date | string }) =>
  `tray-notify/purge/1\n${purge.chain}\n${purge.upToSeq}\n${purge.deleted}\n${purge.policy}\n${utc(purge.purgedAt)}`;
