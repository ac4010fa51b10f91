import { describe, expect, it } from 'vitest';
import { activityOf, api, newLead, server, tokens, world, setUpFlowWorld } from '../../flow-fixtures.ts';

setUpFlowWorld();

describe('leads', () => {
  it('creates a lead, owned by the caller unless told otherwise, and records lead.created', async () => {
    const response = await api.post('/api/leads', { name: 'Liam Patel', email: 'liam@initech.test' }, tokens.acmeMember);
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      workspace_id: world.acme.id,
      name: 'Liam Patel',
      email: 'liam@initech.test',
      email_status: 'found',
      owner_user_id: world.users.acmeMember.id,
      status: 'new',
      stage: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const [entry] = await activityOf(response.body.id);
    expect(entry).toMatchObject({
      type: 'lead.created',
      actor_user_id: world.users.acmeMember.id,
      entity_type: 'lead',
      summary: 'acme-member created lead Liam Patel',
      severity: 'info',
    });

    const owned = await newLead('acmeMember', { owner_user_id: world.users.acmeAdmin.id });
    expect(owned.owner_user_id).toBe(world.users.acmeAdmin.id);
  });

  it('refuses bad input with 400 and records nothing', async () => {
    const before = await server.db.lead.count();
    const bad = [
      {},
      { name: '' },
      { name: 'X', email: 'not-an-email' },
      { name: 'X', extra: 1 },
      { name: 'X', status: 'won' },
      { name: 'X', owner_user_id: world.users.globexMember.id },
    ];
    for (const body of bad) {
      const response = await api.post('/api/leads', body, tokens.acmeMember);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(response.body).sort()).toEqual(['error', 'message']);
    }
    expect(await server.db.lead.count()).toBe(before);
  });

  it('updates a lead and records each changed field old → new; an unchanged value records nothing', async () => {
    const lead = await newLead('acmeMember');
    const response = await api.patch(
      `/api/leads/${lead.id}`,
      { status: 'qualified', stage: 'Discovery', name: 'Maya Chen', owner_user_id: world.users.acmeAdmin2.id },
      tokens.acmeMember,
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'qualified', stage: 'Discovery', owner_user_id: world.users.acmeAdmin2.id });
    const [updated] = (await activityOf(lead.id)).filter((entry) => entry.type === 'lead.updated');
    expect(updated.meta).toEqual({
      changes: {
        status: { from: 'new', to: 'qualified' },
        stage: { from: null, to: 'Discovery' },
        owner_user_id: { from: world.users.acmeMember.id, to: world.users.acmeAdmin2.id },
      },
    });
    expect(updated.summary).toBe('acme-member updated Maya Chen: owner_user_id, status, stage');

    await api.patch(`/api/leads/${lead.id}`, { status: 'qualified' }, tokens.acmeMember);
    expect((await activityOf(lead.id)).filter((entry) => entry.type === 'lead.updated')).toHaveLength(1);
    expect((await api.patch(`/api/leads/${lead.id}`, {}, tokens.acmeMember)).status).toBe(400);
  });

  it('records an email found, then verified', async () => {
    const lead = await newLead('acmeMember', { email: undefined });
    const found = await api.post(`/api/leads/${lead.id}/email/found`, { email: 'maya@hooli.test', source: 'enrichment' }, tokens.acmeMember);
    expect(found.body).toMatchObject({ email: 'maya@hooli.test', email_status: 'found' });
    const verified = await api.post(`/api/leads/${lead.id}/email/verified`, { result: 'undeliverable' }, tokens.acmeMember);
    expect(verified.body).toMatchObject({ email_status: 'invalid' });
    const entries = await activityOf(lead.id);
    expect(entries.map((entry) => [entry.type, entry.severity, entry.meta])).toEqual([
      ['email.verified', 'warning', { email: 'maya@hooli.test', result: 'undeliverable' }],
      ['email.found', 'info', { email: 'maya@hooli.test', previous_email: null, source: 'enrichment' }],
      ['lead.created', 'info', expect.any(Object)],
    ]);

    const noEmail = await newLead('acmeMember', { email: undefined });
    const refused = await api.post(`/api/leads/${noEmail.id}/email/verified`, { result: 'deliverable' }, tokens.acmeMember);
    expect(refused.status).toBe(409);
  });


  it("answers 404 for another workspace's leads and lists, and changes nothing", async () => {
    const lead = await newLead('acmeMember');
    const list = (await api.post('/api/lead-lists', { name: 'Acme only' }, tokens.acmeMember)).body;
    const attempts = [
      api.get(`/api/leads/${lead.id}`, tokens.globexAdmin),
      api.patch(`/api/leads/${lead.id}`, { name: 'Hijacked' }, tokens.globexAdmin),
      api.post(`/api/leads/${lead.id}/email/found`, { email: 'x@y.test' }, tokens.globexAdmin),
      api.post(`/api/leads/${lead.id}/email/verified`, { result: 'deliverable' }, tokens.globexAdmin),
      api.post(`/api/lead-lists/${list.id}/leads`, { lead_id: lead.id }, tokens.globexAdmin),
      api.post('/api/tasks', { lead_id: lead.id, title: 'x', assignee_user_id: world.users.globexMember.id }, tokens.globexAdmin),
    ];
    for (const response of await Promise.all(attempts)) expect(response.status).toBe(404);
    expect((await api.get(`/api/leads/${lead.id}`, tokens.acmeMember)).body.name).toBe('Maya Chen');
    expect(await activityOf(lead.id)).toHaveLength(1);
  });
});
