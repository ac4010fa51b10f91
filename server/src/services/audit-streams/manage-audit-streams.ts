import { isIP } from 'node:net';
import { type Db, inTransaction, type Prisma } from '../../db/prisma.ts';
import type { AuditStreamFormat, Severity } from '../../domain/types.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { recordActivity } from '../activity/record-activity.ts';
import { workspaceToCreateIn, type WorkspaceManager } from '../workspaces/workspace-manager.ts';
import { auditStreamSelect, toAuditStreamItem, type AuditStreamRow } from './audit-stream-item.ts';
import { sealSecret } from './stream-secrets.ts';

/**
 * Who manages streams: a super admin (every stream; one without a workspace carries the whole
 * service's log) or a workspace admin (the streams of their current workspace; any other is
 * not found).
 */
export type StreamManager = WorkspaceManager;

export interface StreamFields {
  name: string;
  url: string;
  format: AuditStreamFormat;
  types: string[];
  minSeverity: Severity | null;
  secret: string;
  token: string | null;
}

const NO_WORKSPACE = '00000000-0000-0000-0000-000000000000';
const scope = (manager: StreamManager): Prisma.AuditStreamWhereInput =>
  manager.isSuperAdmin ? {} : { workspaceId: manager.workspaceId ?? NO_WORKSPACE };

const isLoopback = (hostname: string) => {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
};

/** https anywhere; plain http only to this machine (a local relay, tests), where nothing travels a network. */
export function checkStreamUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badRequest('`url` is not an absolute URL: give https://siem.example.com/path.', 'invalid_url');
  }
  if (url.username || url.password) {
    throw badRequest('`url` must not hold a user name or password: put credentials in `token` (write-only).', 'invalid_url');
  }
  if (url.protocol === 'https:') return url.toString();
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return url.toString();
  if (url.protocol === 'http:') {
    throw badRequest('`url` must be https://: entries would cross the network in clear (plain http only to a loopback address).', 'insecure_url');
  }
  throw badRequest('`url` must be an https:// URL.', 'invalid_url');
}

function describe(row: { name: string; url: string }) {
  return `“${row.name}” (${new URL(row.url).origin})`;
}

function auditStream(tx: Prisma.TransactionClient, manager: StreamManager, row: AuditStreamRow, type: string, verb: string, meta: Prisma.InputJsonObject = {}) {
  return recordActivity(tx, {
    workspaceId: row.workspaceId,
    actorUserId: manager.userId,
    type,
    entity: { type: 'audit_stream', id: row.id },
    summary: `${manager.name} ${verb} SIEM stream ${describe(row)}`,
    meta: { name: row.name, url_origin: new URL(row.url).origin, format: row.format, ...meta },
    severity: 'warning',
  });
}

export async function listAuditStreams(db: Db, manager: StreamManager) {
  const rows = await db.auditStream.findMany({ where: scope(manager), select: auditStreamSelect, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 200 });
  return rows.map(toAuditStreamItem);
}

async function findStream(tx: Prisma.TransactionClient, manager: StreamManager, id: string) {
  // Locked: changes, replays and deletes of one stream go one at a time.
  await tx.$queryRaw`SELECT 1 FROM audit_streams WHERE id = ${id}::uuid FOR UPDATE`;
  const row = await tx.auditStream.findFirst({ where: { AND: [scope(manager), { id }] }, select: auditStreamSelect });
  if (!row) throw notFound('No such SIEM stream.');
  return row;
}

export function createAuditStream(db: Db, manager: StreamManager, input: StreamFields & { workspaceId?: string | null }, secretKey: Buffer | undefined) {
  const url = checkStreamUrl(input.url);
  return inTransaction(db, async (tx) => {
    // Before this transaction writes anything: entries of transactions still running now
    // (they may commit after the stream exists) are the first it sends; older ones are not.
    const [snapshot] = await tx.$queryRaw<{ horizon: bigint }[]>`SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS horizon`;
    const horizon = snapshot!.horizon;
    const workspaceId = await workspaceToCreateIn(tx, manager, input.workspaceId, 'streams');
    const row = await tx.auditStream.create({
      data: {
        workspaceId,
        name: input.name,
        url,
        format: input.format,
        types: input.types,
        minSeverity: input.minSeverity,
        secret: sealSecret(input.secret, secretKey),
        token: input.token === null ? null : sealSecret(input.token, secretKey),
        createdById: manager.userId,
        cursorXid: horizon,
        cursorSeq: 0n,
      },
      select: auditStreamSelect,
    });
    await auditStream(tx, manager, row, 'audit_stream.created', 'created', { types: row.types, min_severity: row.minSeverity });
    return toAuditStreamItem(row);
  });
}

export interface StreamChanges extends Partial<StreamFields> {
  paused?: boolean;
}

export function updateAuditStream(db: Db, manager: StreamManager, id: string, changes: StreamChanges, secretKey: Buffer | undefined) {
  const url = changes.url === undefined ? undefined : checkStreamUrl(changes.url);
  return inTransaction(db, async (tx) => {
    const before = await findStream(tx, manager, id);
    const data: Prisma.AuditStreamUpdateInput = { updatedAt: new Date() };
    const changed: string[] = [];
    const plain = { name: changes.name, url, format: changes.format, types: changes.types, minSeverity: changes.minSeverity } as const;
    for (const [field, value] of Object.entries(plain)) {
      if (value === undefined) continue;
      if (JSON.stringify(value) !== JSON.stringify(before[field as keyof typeof plain])) changed.push(field);
      (data as Record<string, unknown>)[field] = value;
    }
    // Only that they changed is recorded, never their values.
    if (changes.secret !== undefined) {
      data.secret = sealSecret(changes.secret, secretKey);
      changed.push('secret');
    }
    if (changes.token !== undefined) {
      data.token = changes.token === null ? null : sealSecret(changes.token, secretKey);
      changed.push('token');
    }
    const pausing = changes.paused === true && before.status !== 'paused';
    const resuming = changes.paused === false && before.status === 'paused';
    if (pausing) Object.assign(data, { status: 'paused', pausedReason: `Paused by ${manager.name}` });
    // A resumed stream starts over with a clean record and tries at once.
    if (resuming) Object.assign(data, { status: 'active', pausedReason: null, failingSince: null, failures: 0, nextAttemptAt: new Date() });
    const row = await tx.auditStream.update({ where: { id }, data, select: auditStreamSelect });
    if (changed.length > 0) await auditStream(tx, manager, row, 'audit_stream.updated', `changed ${changed.join(', ')} of`, { changed });
    if (pausing) await auditStream(tx, manager, row, 'audit_stream.paused', 'paused');
    if (resuming) await auditStream(tx, manager, row, 'audit_stream.resumed', 'resumed');
    return toAuditStreamItem(row);
  });
}

export function deleteAuditStream(db: Db, manager: StreamManager, id: string) {
  return inTransaction(db, async (tx) => {
    const row = await findStream(tx, manager, id);
    await tx.auditStream.delete({ where: { id } });
    await auditStream(tx, manager, row, 'audit_stream.deleted', 'deleted');
  });
}

/**
 * Sends again every entry recorded since `since` (and any entry after the first of them in
 * the stream's order): the cursor moves back to just before the earliest one the log still
 * holds. The generation moves on, so a batch in flight cannot move the cursor forward again.
 */
export function replayAuditStream(db: Db, manager: StreamManager, id: string, since: Date) {
  if (since.getTime() > Date.now()) throw badRequest('`since` is in the future: nothing was recorded then yet.', 'invalid_since');
  return inTransaction(db, async (tx) => {
    const row = await findStream(tx, manager, id);
    const first = await tx.$queryRaw<{ xid: bigint; seq: bigint }[]>`
      SELECT xid, seq FROM audit_stream_log
       WHERE recorded_at >= ${since} AND (${row.workspaceId}::uuid IS NULL OR workspace_id = ${row.workspaceId}::uuid)
       ORDER BY xid, seq LIMIT 1`;
    if (first[0]) {
      await tx.$executeRaw`
        UPDATE audit_streams SET cursor_xid = ${first[0].xid}, cursor_seq = ${first[0].seq - 1n}, generation = generation + 1,
               next_attempt_at = now(), updated_at = now()
         WHERE id = ${id}::uuid`;
    }
    await auditStream(tx, manager, row, 'audit_stream.replayed', `replayed entries since ${since.toISOString()} to`, { since: since.toISOString() });
    const updated = await tx.auditStream.findUniqueOrThrow({ where: { id }, select: auditStreamSelect });
    return toAuditStreamItem(updated);
  });
}

/** The stream's recent attempts, and how far behind it is (the oldest entry it has not sent yet). */
export async function listDeliveries(db: Db, manager: StreamManager, id: string) {
  const row = await db.auditStream.findFirst({ where: { AND: [scope(manager), { id }] }, select: { ...auditStreamSelect, cursorXid: true, cursorSeq: true } });
  if (!row) throw notFound('No such SIEM stream.');
  const deliveries = await db.auditStreamDelivery.findMany({ where: { streamId: id }, orderBy: { id: 'desc' }, take: 100 });
  const pending = await db.$queryRaw<{ recorded_at: Date }[]>`
    SELECT recorded_at FROM audit_stream_log
     WHERE (xid, seq) > (${row.cursorXid}, ${row.cursorSeq}) AND (${row.workspaceId}::uuid IS NULL OR workspace_id = ${row.workspaceId}::uuid)
     ORDER BY xid, seq LIMIT 1`;
  return {
    stream: toAuditStreamItem(row),
    lag_ms: pending[0] ? Math.max(0, Date.now() - pending[0].recorded_at.getTime()) : 0,
    items: deliveries.map((delivery) => ({
      started_at: delivery.startedAt.toISOString(),
      duration_ms: delivery.durationMs,
      status: delivery.status as 'delivered' | 'failed',
      http_status: delivery.httpStatus,
      error: delivery.error,
      entries: delivery.entries,
      first_entry_id: delivery.firstEntryId,
      last_entry_id: delivery.lastEntryId,
      lag_ms: delivery.lagMs,
    })),
  };
}
