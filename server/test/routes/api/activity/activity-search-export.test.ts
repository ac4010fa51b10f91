import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordActivity } from '../../../../src/services/activity/record-activity.ts';
import { apiClient, createWorld, startTestServer, type ApiClient, type TestServer, type World } from '../../../helper.ts';

let server: TestServer;
let api: ApiClient;
let world: World;
const tokens: Record<string, string> = {};

const summaries = (response: { body: { items: { summary: string }[] } }) => response.body.items.map((item) => item.summary);

/** A CSV parser per RFC 4180 (quoted fields, doubled quotes, CRLF), to read exports back. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') record.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field), records.push(record), (record = []), (field = ''), i++;
    } else field += c;
  }
  if (field || record.length) throw new Error(`CSV does not end with CRLF: ${JSON.stringify(text.slice(-40))}`);
  return records;
}

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
  world = await createWorld(server.db);
  const acme = world.acme.id;
  const old = new Date(Date.now() - 3 * 3600_000);
  await recordActivity(server.db, { workspaceId: acme, actorUserId: world.users.acmeAdmin.id, type: 'lead.created', entity: { type: 'lead', id: 'lead-banana' }, summary: 'Created lead Zebulon Pike', createdAt: old });
  await recordActivity(server.db, { workspaceId: acme, actorUserId: world.users.acmeMember.id, type: 'lead.updated', entity: { type: 'lead', id: 'lead-banana' }, summary: 'Updated Zebulon Pike: status', meta: { changes: { status: { from: 'new', to: 'qualified' } } } });
  await recordActivity(server.db, { workspaceId: acme, actorUserId: null, type: 'job.failed', entity: { type: 'job', id: 'job-77' }, summary: 'Job enrich failed: timeout talking to provider', severity: 'critical', meta: { kind: 'enrichment', error: 'ETIMEDOUT' } });
  await recordActivity(server.db, { workspaceId: acme, actorUserId: world.users.acmeAdmin.id, type: 'api_key.created', summary: 'API key Zebulon sync created', severity: 'critical' });
  await recordActivity(server.db, { workspaceId: world.globex.id, actorUserId: world.users.globexAdmin.id, type: 'lead.created', entity: { type: 'lead', id: 'lead-globex' }, summary: 'Created lead Zebulon Globex' });
  for (const [key, user] of Object.entries(world.users)) tokens[key] = await api.login(user.email);
});
afterAll(() => server.close());

describe('GET /api/activity?q=', () => {
  it('matches words of the summary, the actor name, the entity id and meta values, as prefixes', async () => {
    expect(summaries(await api.get('/api/activity?q=zebul', tokens.acmeAdmin))).toEqual([
      'API key Zebulon sync created',
      'Updated Zebulon Pike: status',
      'Created lead Zebulon Pike',
    ]);
    // actor name ("acme-member"), entity id, a meta value (old and new of a change), two words at once
    expect(summaries(await api.get('/api/activity?q=acme-member', tokens.acmeAdmin))).toEqual(['Updated Zebulon Pike: status']);
    expect(summaries(await api.get('/api/activity?q=job-77', tokens.acmeAdmin))).toEqual(['Job enrich failed: timeout talking to provider']);
    expect(summaries(await api.get('/api/activity?q=ETIMEDOUT', tokens.acmeAdmin))).toHaveLength(1);
    expect(summaries(await api.get('/api/activity?q=qualified', tokens.acmeAdmin))).toEqual(['Updated Zebulon Pike: status']);
    expect(summaries(await api.get('/api/activity?q=pike%20created', tokens.acmeAdmin))).toEqual(['Created lead Zebulon Pike']);
    expect(summaries(await api.get('/api/activity?q=nothing-like-this', tokens.acmeAdmin))).toEqual([]);
  });

  it('combines with the other filters and pages by cursor', async () => {
    expect(summaries(await api.get('/api/activity?q=zebulon&type=lead.updated', tokens.acmeAdmin))).toEqual(['Updated Zebulon Pike: status']);
    expect(summaries(await api.get('/api/activity?q=zebulon&severity=critical', tokens.acmeAdmin))).toEqual(['API key Zebulon sync created']);
    expect(summaries(await api.get('/api/activity?q=zebulon&entity_type=lead&entity_id=lead-banana', tokens.acmeAdmin))).toHaveLength(2);
    const until = new Date(Date.now() - 3600_000).toISOString();
    expect(summaries(await api.get(`/api/activity?q=zebulon&until=${until}`, tokens.acmeAdmin))).toEqual(['Created lead Zebulon Pike']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await api.get(`/api/activity?q=zebulon&page_size=1${cursor ? `&cursor=${cursor}` : ''}`, tokens.acmeAdmin);
      expect(page.status).toBe(200);
      seen.push(...summaries(page));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['API key Zebulon sync created', 'Updated Zebulon Pike: status', 'Created lead Zebulon Pike']);
    expect(summaries(await api.get('/api/activity?q=zebulon&page=2&page_size=2', tokens.acmeAdmin))).toEqual(['Created lead Zebulon Pike']);
  });

  it("never shows another workspace's entries, nor audit entries to members", async () => {
    expect(summaries(await api.get('/api/activity?q=zebulon', tokens.globexAdmin))).toEqual(['Created lead Zebulon Globex']);
    expect(summaries(await api.get('/api/activity?q=lead-banana', tokens.globexAdmin))).toEqual([]);
    // The member sees no audit entry (API key created), search or not.
    expect(summaries(await api.get('/api/activity?q=zebulon', tokens.acmeMember))).toEqual(['Updated Zebulon Pike: status', 'Created lead Zebulon Pike']);
  });

  it('searches every workspace for super admins, with the workspace filter', async () => {
    expect(summaries(await api.get('/api/admin/activity?q=zebulon', tokens.superAdmin))).toHaveLength(4);
    expect(summaries(await api.get(`/api/admin/activity?q=zebulon&workspace_id=${world.globex.id}`, tokens.superAdmin))).toEqual(['Created lead Zebulon Globex']);
    expect(summaries(await api.get(`/api/admin/activity?q=zebulon&actor_user_id=${world.users.acmeMember.id}`, tokens.superAdmin))).toEqual(['Updated Zebulon Pike: status']);
    expect((await api.get('/api/admin/activity?q=zebulon', tokens.acmeAdmin)).status).toBe(403);
  });

  it('takes any text without error: tsquery syntax is not interpreted; punctuation alone matches nothing', async () => {
    for (const q of ["zebulon'", 'zebulon & | ! ( ) : * <->', '\\', "'';--", '%00', '🦓 zebulon']) {
      const response = await api.get(`/api/activity?q=${encodeURIComponent(q)}`, tokens.acmeAdmin);
      expect(response.status, q).toBe(200);
    }
    expect(summaries(await api.get(`/api/activity?q=${encodeURIComponent('zebulon & | ! ( )')}`, tokens.acmeAdmin))).toHaveLength(3);
    expect(summaries(await api.get(`/api/activity?q=${encodeURIComponent('&|!')}`, tokens.acmeAdmin))).toEqual([]);
    // An empty q is no filter.
    expect(summaries(await api.get('/api/activity?q=', tokens.acmeAdmin))).toHaveLength(4);
    const long = await api.get(`/api/activity?q=${'a'.repeat(201)}`, tokens.acmeAdmin);
    expect(long.status).toBe(400);
    expect(long.body.error).toBe('invalid_request');
  });
});

describe('activity detail', () => {
  it('gives each entry the changed fields (old → new) and where its entity opens in the host app', async () => {
    const items = (await api.get('/api/activity?q=zebulon%20pike', tokens.acmeAdmin)).body.items;
    expect(items[0]).toMatchObject({
      type: 'lead.updated',
      target_url: '/leads/lead-banana',
      changes: [{ field: 'status', from: 'new', to: 'qualified' }],
      meta: { changes: { status: { from: 'new', to: 'qualified' } } },
    });
    expect(items[1]).toMatchObject({ type: 'lead.created', target_url: '/leads/lead-banana', changes: [] });
    const [job] = (await api.get('/api/activity?q=job-77', tokens.acmeAdmin)).body.items;
    expect(job.target_url).toBe('/jobs/job-77');
    const [key] = (await api.get('/api/activity?type=api_key.created', tokens.acmeAdmin)).body.items;
    expect(key.target_url).toBeNull();
  });
});

describe('GET /api/activity/export', () => {
  it('streams every matching entry as RFC 4180 CSV with a header row, formula cells defused', async () => {
    const ws = await server.db.workspace.create({ data: { name: 'Export', slug: `export-${Date.now()}` } });
    await server.db.membership.create({ data: { workspaceId: ws.id, userId: world.users.superAdmin.id, role: 'admin' } });
    // 2,345 rows: more than two keyset batches, all at one instant to stress the tie-break on id.
    await server.db.$executeRaw`
      INSERT INTO activities (workspace_id, type, summary, meta, created_at)
      SELECT ${ws.id}::uuid, 'job.created', 'row ' || g, jsonb_build_object('n', g), now() - interval '1 minute'
        FROM generate_series(1, 2345) g`;
    const tricky = [
      '=HYPERLINK("http://evil.example","click")',
      '+1+2',
      '-2+3',
      '@SUM(A1)',
      'comma, "quoted" and\nnewline',
    ];
    for (const summary of tricky) await recordActivity(server.db, { workspaceId: ws.id, actorUserId: null, type: 'job.failed', summary, meta: { note: summary } });
    const token = await api.login(world.users.superAdmin.email);
    expect((await api.put('/api/me/current-workspace', { workspace_id: ws.id }, token)).status).toBe(200);

    const response = await fetch(`${server.url}/api/activity/export?format=csv`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="activity-[\d-T]+\.csv"$/);
    const records = parseCsv(await response.text());
    expect(records[0]).toEqual(['id', 'created_at', 'workspace_id', 'workspace_name', 'type', 'severity', 'actor_user_id', 'actor_name', 'entity_type', 'entity_id', 'summary', 'meta']);
    const rows = records.slice(1);
    expect(rows).toHaveLength(2345 + tricky.length);
    expect(new Set(rows.map((row) => row[0])).size).toBe(rows.length);
    expect(rows.slice(0, 5).map((row) => row[10])).toEqual([...tricky].reverse().map((summary) => (/^[=+\-@]/.test(summary) ? `'${summary}` : summary)));
    expect(rows.every((row) => !/^[=+\-@]/.test(row.join('')))).toBe(true);
    expect(JSON.parse(rows[0]![11]!)).toEqual({ note: tricky[4] });
    expect(rows.at(-1)![10]).toMatch(/^row \d+$/);
    expect(rows.filter((row) => row[10]!.startsWith('row ')).map((row) => Number(row[10]!.slice(4))).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 2345 }, (_, i) => i + 1),
    );

    const ndjson = await fetch(`${server.url}/api/activity/export?format=ndjson&type=job.failed`, { headers: { authorization: `Bearer ${token}` } });
    expect(ndjson.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const lines = (await ndjson.text()).split('\n');
    expect(lines.pop()).toBe('');
    const items = lines.map((line) => JSON.parse(line));
    expect(items.map((item) => item.summary)).toEqual([...tricky].reverse());
    expect(items[0]).toMatchObject({ workspace_id: ws.id, workspace_name: 'Export', type: 'job.failed', severity: 'info', meta: { note: tricky[4] } });
  });

  it('applies the same filters, search and visibility as the feed', async () => {
    const exportOf = async (path: string, token: string | undefined) => {
      const response = await api.get(path, token);
      expect(response.status).toBe(200);
      return parseCsv(response.body as string).slice(1).map((row) => row[10]);
    };
    expect(await exportOf('/api/activity/export?q=zebulon', tokens.acmeAdmin)).toEqual(['API key Zebulon sync created', 'Updated Zebulon Pike: status', 'Created lead Zebulon Pike']);
    expect(await exportOf('/api/activity/export?q=zebulon', tokens.acmeMember)).toEqual(['Updated Zebulon Pike: status', 'Created lead Zebulon Pike']);
    expect(await exportOf('/api/activity/export?severity=critical', tokens.acmeAdmin)).toEqual(['API key Zebulon sync created', 'Job enrich failed: timeout talking to provider']);
    expect(await exportOf('/api/activity/export', tokens.globexAdmin)).toEqual(['Created lead Zebulon Globex']);
    expect(await exportOf(`/api/admin/activity/export?q=zebulon&workspace_id=${world.globex.id}`, tokens.superAdmin)).toEqual(['Created lead Zebulon Globex']);
    expect(await exportOf('/api/admin/activity/export?q=zebulon', tokens.superAdmin)).toHaveLength(4);
  });

  it('refuses bad input and other callers with a 4xx', async () => {
    expect((await api.get('/api/activity/export?format=xlsx', tokens.acmeAdmin)).status).toBe(400);
    expect((await api.get('/api/activity/export?page=2', tokens.acmeAdmin)).status).toBe(400);
    expect((await api.get('/api/activity/export?since=yesterday', tokens.acmeAdmin)).status).toBe(400);
    expect((await api.get('/api/activity/export')).status).toBe(401);
    expect((await api.get('/api/admin/activity/export', tokens.acmeAdmin)).status).toBe(403);
    expect((await api.get('/api/admin/activity/export?workspace_id=nope', tokens.superAdmin)).status).toBe(400);
  });
});
