import { execFile } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../../../src/db/sql.ts';
import { entryHash } from '../../../../src/services/activity/chain/canonical.ts';
import { signDueCheckpoints } from '../../../../src/services/activity/chain/checkpoints.ts';
import { CHAIN_COLUMNS, type ChainRow, fieldsOf } from '../../../../src/services/activity/chain/verify-chain.ts';
import { type NewActivity, recordActivities, recordActivity } from '../../../../src/services/activity/record-activity.ts';
import { pruneWorkspaceActivity } from '../../../../src/services/retention/activity-retention.ts';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';

const run = promisify(execFile);
const SCRIPT = path.resolve(import.meta.dirname, '../../../../scripts/audit-verify.mjs');

let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
  world = await createWorld(server.db);
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
});
afterAll(() => server.close());

/** A workspace of its own with `count` entries, some with awkward content (escapes, numbers, nesting, non-ASCII). */
async function chainWith(count: number) {
  const workspace = await server.db.workspace.create({ data: { name: 'Chain', slug: `chain-${crypto.randomUUID().slice(0, 8)}` } });
  for (let i = 0; i < count; i++) {
    await recordActivity(server.db, {
      workspaceId: workspace.id,
      actorUserId: i % 2 ? world.users.acmeAdmin.id : null,
      type: 'job.created',
      entity: i % 3 ? { type: 'job', id: `job-${i}` } : undefined,
      summary: i === 1 ? 'Quote "q" \\ back\nline\ttab \u0001 ctl — é 😀' : `entry ${i}`,
      meta: { n: i, price: 1.5, big: 12345678901234, neg: -0.25, nested: { b: [1, 'two', null, true], a: 'z' }, 'key "q"': 'ü' },
      severity: i % 4 === 0 ? 'warning' : 'info',
      createdAt: new Date(Date.now() - (count - i) * 1000),
    });
  }
  const rows = await chainRows(workspace.id);
  return { workspace, rows };
}

const chainRows = (workspaceId: string) =>
  server.db.$queryRawUnsafe<ChainRow[]>(`SELECT ${CHAIN_COLUMNS} FROM activities WHERE workspace_id = $1::uuid AND chain_seq IS NOT NULL ORDER BY activities.chain_seq`, workspaceId);

const verifyChain = async (chain: string, token = tokens.superAdmin) => {
  const response = await api.get(`/api/activity/verify?chain=${chain}`, token);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
};

/** Runs SQL with triggers off, as someone editing the database directly around the server would. */
const aroundTheServer = (statement: string, ...values: unknown[]) =>
  server.db.$transaction([server.db.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`), server.db.$executeRawUnsafe(statement, ...values)]);

describe('the activity hash chain', () => {
  it('chains every entry in the order recorded; the database and the documented form agree on each hash', async () => {
    const { workspace, rows } = await chainWith(6);
    expect(rows.map((row) => row.chain_seq)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(rows[0]!.prev_hash).toBe('0'.repeat(64));
    for (const [index, row] of rows.entries()) {
      expect(row.hash).toBe(entryHash(row.prev_hash, fieldsOf(workspace.id, row)));
      if (index > 0) expect(row.prev_hash).toBe(rows[index - 1]!.hash);
    }
    expect(await verifyChain(workspace.id)).toMatchObject({ ok: true, checked: 6, first_broken: null });
  });

  it('stays one unbroken chain when many entries of one workspace are recorded at once', async () => {
    const workspace = await server.db.workspace.create({ data: { name: 'Busy', slug: `busy-${crypto.randomUUID().slice(0, 8)}` } });
    await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        recordActivity(server.db, { workspaceId: workspace.id, actorUserId: null, type: 'job.created', summary: `parallel ${i}` }),
      ),
    );
    const rows = await chainRows(workspace.id);
    expect(rows.map((row) => Number(row.chain_seq))).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(await verifyChain(workspace.id)).toMatchObject({ ok: true, checked: 120 });
  });

  it('keeps each chain whole, its head on its last entry, when statements of many entries and of two chains run in parallel or roll back', async () => {
    const [first, second] = await Promise.all(
      ['First', 'Second'].map((name) => server.db.workspace.create({ data: { name, slug: `${name.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}` } })),
    );
    // Every statement mixes both chains: two of three entries for the first workspace.
    const batch = (count: number, label: string): NewActivity[] =>
      Array.from({ length: count }, (_, i) => ({ workspaceId: i % 3 ? first!.id : second!.id, actorUserId: null, type: 'job.created', summary: `${label} ${i}` }));
    const kept: NewActivity[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, k) => {
        const entries = batch(50, `batch ${k}`);
        kept.push(...entries);
        return withTransaction(server.db, (tx) => recordActivities(tx, entries));
      }),
    );
    await withTransaction(server.db, async (tx) => {
      const before = batch(10, 'before the savepoint');
      const after = batch(10, 'after the savepoint');
      kept.push(...before, ...after);
      await recordActivities(tx, before);
      await tx.query('SAVEPOINT undo', []);
      await recordActivities(tx, batch(10, 'undone'));
      await tx.query('ROLLBACK TO SAVEPOINT undo', []);
      await recordActivities(tx, after);
    });

    for (const workspace of [first!, second!]) {
      const rows = await chainRows(workspace.id);
      const expected = kept.filter((entry) => entry.workspaceId === workspace.id).length;
      expect(rows.map((row) => Number(row.chain_seq))).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
      expect(rows.some((row) => row.summary.startsWith('undone'))).toBe(false);
      const [head] = await server.db.$queryRaw<{ seq: bigint; prev_hash: string; hash: string }[]>`
        SELECT seq, prev_hash, hash FROM activity_chain_heads WHERE chain = ${workspace.id}`;
      expect(head).toEqual({ seq: BigInt(expected), prev_hash: rows.at(-1)!.prev_hash, hash: rows.at(-1)!.hash });
      expect(await verifyChain(workspace.id)).toMatchObject({ ok: true, checked: expected, first_broken: null });
    }
  });

  it('names an entry changed in PostgreSQL', async () => {
    const { workspace, rows } = await chainWith(5);
    await server.db.$executeRaw`UPDATE activities SET summary = 'nothing happened' WHERE id = ${rows[2]!.id}::uuid`;
    const result = await verifyChain(workspace.id);
    expect(result.ok).toBe(false);
    expect(result.first_broken).toMatchObject({ id: rows[2]!.id, reason: expect.stringContaining('changed') });
    expect(result.first_broken.recorded_at).toBe(rows[2]!.recorded_at.toISOString());
  });

  it('names where an entry was deleted, in the middle and at the end', async () => {
    const { workspace, rows } = await chainWith(5);
    await server.db.$executeRaw`DELETE FROM activities WHERE id = ${rows[1]!.id}::uuid`;
    const middle = await verifyChain(workspace.id);
    expect(middle.first_broken).toMatchObject({ id: rows[2]!.id, reason: expect.stringMatching(/1 entry missing.*positions 2–2/) });

    const other = await chainWith(4);
    await server.db.$executeRaw`DELETE FROM activities WHERE id = ${other.rows[3]!.id}::uuid`;
    const end = await verifyChain(other.workspace.id);
    expect(end.first_broken).toMatchObject({ id: other.rows[2]!.id, reason: expect.stringContaining('missing after') });
  });

  it('names an entry inserted around the chain, with or without a forged position', async () => {
    const { workspace, rows } = await chainWith(4);
    await aroundTheServer(
      `INSERT INTO activities (workspace_id, type, summary, recorded_at, created_at) VALUES ($1::uuid, 'job.created', 'planted', $2::timestamptz, $2::timestamptz)`,
      workspace.id,
      rows[2]!.recorded_at,
    );
    const [planted] = await server.db.$queryRaw<{ id: string }[]>`SELECT id FROM activities WHERE summary = 'planted'`;
    const plain = await verifyChain(workspace.id);
    expect(plain.first_broken).toMatchObject({ id: planted!.id, reason: expect.stringContaining('not in the chain') });

    const forged = await chainWith(4);
    const victim = forged.rows[2]!;
    // A copy at the same position, its hash made as the server would, linked to the entry before.
    await aroundTheServer(
      `INSERT INTO activities (id, workspace_id, type, summary, meta, severity, recorded_at, created_at, chain_seq, prev_hash, hash)
       VALUES ('00000000-0000-7000-8000-000000000001', $1::uuid, 'job.created', 'forged', '{}', 'info', $2::timestamptz, $5::timestamptz, 3, $3, $4)`,
      forged.workspace.id,
      victim.recorded_at,
      victim.prev_hash,
      entryHash(victim.prev_hash, { ...fieldsOf(forged.workspace.id, victim), id: '00000000-0000-7000-8000-000000000001', summary: 'forged', type: 'job.created', entityType: null, entityId: null, actorUserId: null, severity: 'info', metaJson: '{}' }),
      victim.created_at,
    );
    const result = await verifyChain(forged.workspace.id);
    expect(result.ok).toBe(false);
    expect(result.first_broken.reason).toMatch(/taken twice|inserted/);
  });

  it('names reordered entries', async () => {
    const { workspace, rows } = await chainWith(5);
    await server.db.$executeRawUnsafe(
      `UPDATE activities SET chain_seq = CASE WHEN id = $1::uuid THEN 4 ELSE 3 END WHERE id IN ($1::uuid, $2::uuid)`,
      rows[2]!.id,
      rows[3]!.id,
    );
    const result = await verifyChain(workspace.id);
    expect(result.ok).toBe(false);
    expect([rows[2]!.id, rows[3]!.id]).toContain(result.first_broken.id);
  });

  it('answers admins for their own workspace only, super admins for any, with clear 4xx for bad input', async () => {
    await recordActivity(server.db, { workspaceId: world.acme.id, actorUserId: null, type: 'job.created', summary: 'acme entry' });
    const own = await api.get('/api/activity/verify', tokens.acmeAdmin);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ ok: true, first_broken: null });
    expect(own.body.checked).toBeGreaterThan(0);
    expect((await api.get('/api/activity/verify', tokens.acmeMember)).status).toBe(403);
    expect((await api.get(`/api/activity/verify?chain=${world.acme.id}`, tokens.globexAdmin)).status).toBe(403);
    expect((await api.get(`/api/activity/verify?chain=${world.acme.id}`, tokens.superAdmin)).body.ok).toBe(true);
    expect((await api.get('/api/activity/verify', tokens.superAdmin)).status).toBe(400);
    expect((await api.get('/api/activity/verify?chain=00000000-0000-4000-8000-000000000000', tokens.superAdmin)).status).toBe(404);
    for (const query of ['chain=nope', 'since=yesterday', 'since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z', 'extra=1']) {
      expect((await api.get(`/api/activity/verify?${query}`, tokens.acmeAdmin)).status, query).toBe(400);
    }
    expect((await api.get('/api/activity/verify')).status).toBe(401);
    const service = await api.get('/api/activity/verify?chain=service', tokens.superAdmin);
    expect(service.status).toBe(200);
    expect(service.body.ok).toBe(true);
  });

  it('checks a time window of the chain', async () => {
    const { workspace, rows } = await chainWith(6);
    const since = rows[3]!.recorded_at.toISOString();
    const response = await api.get(`/api/activity/verify?chain=${workspace.id}&since=${since}`, tokens.superAdmin);
    expect(response.body.ok).toBe(true);
    expect(response.body.checked).toBe(rows.filter((row) => row.recorded_at >= rows[3]!.recorded_at).length);
  });
});

/** Exports a chain over HTTP to a file and runs the documented offline check on it, with the key fetched once. */
async function offline(workspaceId: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'audit-'));
  const keyFile = path.join(dir, 'key.pem');
  writeFileSync(keyFile, (await api.get('/api/audit/public-key')).body.public_key_pem);
  const exported = async () => {
    const response = await fetch(`${server.url}/api/audit/export?chain=${workspaceId}`, { headers: { authorization: `Bearer ${tokens.superAdmin}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const file = path.join(dir, `${crypto.randomUUID()}.ndjson`);
    writeFileSync(file, await response.text());
    return file;
  };
  /** `pinned`: with the key saved earlier; without it, the key in the export's header. */
  const verifyOffline = async (file: string, pinned = true) => {
    try {
      const { stdout } = await run(process.execPath, [SCRIPT, file, ...(pinned ? ['--public-key', keyFile] : [])]);
      return { code: 0, result: JSON.parse(stdout) };
    } catch (error) {
      const failed = error as { code: number; stdout: string };
      return { code: failed.code, result: JSON.parse(failed.stdout) };
    }
  };
  return { exported, verifyOffline };
}

describe('checkpoints and offline verification', () => {
  it('signs checkpoints that anyone can check with the published public key alone', async () => {
    const { workspace, rows } = await chainWith(3);
    expect(await signDueCheckpoints(server.db, { everyEntries: 1, everyMs: 600_000 })).toBeGreaterThan(0);
    const keyResponse = await api.get('/api/audit/public-key');
    expect(keyResponse.status).toBe(200);
    expect(keyResponse.body).toMatchObject({ algorithm: 'Ed25519', key_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const checkpoints = (await api.get(`/api/audit/checkpoints?chain=${workspace.id}`, tokens.superAdmin)).body.items;
    expect(checkpoints).toHaveLength(1);
    const checkpoint = checkpoints[0];
    expect(checkpoint).toMatchObject({ chain: workspace.id, chain_seq: '3', hash: rows[2]!.hash });
    // The message exactly as the README documents it.
    const message = `tray-notify/checkpoint/1\n${checkpoint.chain}\n${checkpoint.chain_seq}\n${checkpoint.hash}\n${checkpoint.signed_at}`;
    const key = createPublicKey(keyResponse.body.public_key_pem);
    expect(verify(null, Buffer.from(message), key, Buffer.from(checkpoint.signature, 'base64'))).toBe(true);
    expect(verify(null, Buffer.from(message.replace(/\n3\n/, '\n4\n')), key, Buffer.from(checkpoint.signature, 'base64'))).toBe(false);
    // Nothing new: nothing signed again.
    expect(await signDueCheckpoints(server.db, { everyEntries: 1, everyMs: 600_000 })).toBe(0);
    expect((await api.get(`/api/activity/verify?chain=${workspace.id}`, tokens.superAdmin)).body.last_checkpoint).toMatchObject({ chain_seq: '3' });
    expect((await api.get(`/api/audit/checkpoints?chain=${workspace.id}`, tokens.globexAdmin)).status).toBe(403);
  });

  it('catches a rewrite that recomputes every hash after the change, by the signed checkpoint', async () => {
    const { workspace } = await chainWith(4);
    await signDueCheckpoints(server.db, { everyEntries: 1, everyMs: 600_000 });
    await server.db.$executeRaw`UPDATE activities SET summary = 'rewritten' WHERE workspace_id = ${workspace.id}::uuid AND chain_seq = 2`;
    // Recompute the rest of the chain so that every link holds again.
    let previous = (await chainRows(workspace.id))[0]!.hash;
    for (const row of (await chainRows(workspace.id)).slice(1)) {
      const hash = entryHash(previous, fieldsOf(workspace.id, { ...row, prev_hash: previous }));
      await server.db.$executeRaw`UPDATE activities SET prev_hash = ${previous}, hash = ${hash} WHERE id = ${row.id}::uuid`;
      previous = hash;
    }
    const result = await verifyChain(workspace.id);
    expect(result.first_broken).toMatchObject({ reason: expect.stringContaining('checkpoint') });
  });

  it('verifies an export offline with one Node command, and names a changed entry there too', async () => {
    const { workspace, rows } = await chainWith(5);
    await signDueCheckpoints(server.db, { everyEntries: 1, everyMs: 600_000 });
    const { exported, verifyOffline } = await offline(workspace.id);
    expect(await verifyOffline(await exported())).toMatchObject({ code: 0, result: { ok: true, checked: 5 } });

    await server.db.$executeRaw`UPDATE activities SET meta = '{"n": 99}' WHERE id = ${rows[1]!.id}::uuid`;
    expect(await verifyOffline(await exported())).toMatchObject({ code: 1, result: { ok: false, first_broken: { id: rows[1]!.id } } });
    expect((await api.get(`/api/audit/export?chain=${workspace.id}`, tokens.acmeAdmin)).status).toBe(403);
  });
});

describe('purges', () => {
  it('verifies across a retention purge, which is a signed entry of the chain; a gap it does not account for is named', async () => {
    const workspace = await server.db.workspace.create({
      data: { name: 'Purged', slug: `purged-${crypto.randomUUID().slice(0, 8)}`, activityRetentionDays: 30 },
    });
    const record = (summary: string, daysAgo: number) =>
      recordActivity(server.db, { workspaceId: workspace.id, actorUserId: null, type: 'job.created', summary, createdAt: new Date(Date.now() - daysAgo * 86_400_000) });
    for (let i = 0; i < 3; i++) await record(`old ${i}`, 60 - i);
    for (let i = 0; i < 3; i++) await record(`kept ${i}`, 0);
    expect(await pruneWorkspaceActivity(server.db, 0)).toMatchObject({ [workspace.id]: 3 });

    const rows = await chainRows(workspace.id);
    expect(rows.map((row) => row.chain_seq)).toEqual(['4', '5', '6', '7']);
    const purge = rows[3]!;
    expect(purge.type).toBe('activity.pruned');
    expect(JSON.parse(purge.meta_json)).toMatchObject({ deleted: 3, up_to_seq: '3', policy: 'workspace retention 30 days', signature: expect.any(String) });
    expect(await verifyChain(workspace.id)).toMatchObject({ ok: true, checked: 4, first_broken: null });
    const { exported, verifyOffline } = await offline(workspace.id);
    expect(await verifyOffline(await exported())).toMatchObject({ code: 0, result: { ok: true, checked: 4 } });
    expect(await verifyOffline(await exported(), false)).toMatchObject({ code: 0, result: { ok: true, checked: 4 } });

    // Deleting one more entry directly is not covered by the purge.
    await server.db.$executeRaw`DELETE FROM activities WHERE id = ${rows[1]!.id}::uuid`;
    const broken = await verifyChain(workspace.id);
    expect(broken.first_broken).toMatchObject({ id: rows[2]!.id, reason: expect.stringContaining('missing') });
    expect(await verifyOffline(await exported())).toMatchObject({ code: 1, result: { first_broken: { id: rows[2]!.id } } });

    // Nor is a purge entry whose claim was edited (its hash no longer matches).
    const other = await chainWith(3);
    await server.db.$executeRaw`DELETE FROM activities WHERE id = ${other.rows[0]!.id}::uuid`;
    await recordActivity(server.db, {
      workspaceId: other.workspace.id, actorUserId: null, type: 'activity.pruned', summary: 'forged purge',
      meta: { deleted: 1, policy: 'made up', up_to_seq: '1', purged_at: new Date().toISOString(), key_id: 'x', signature: 'AAAA' },
    });
    const forged = await verifyChain(other.workspace.id);
    expect(forged.ok).toBe(false);
    expect(forged.first_broken.reason).toMatch(/invalid signature|missing/);
  });
});
