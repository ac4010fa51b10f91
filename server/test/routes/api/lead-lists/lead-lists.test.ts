import { describe, expect, it } from 'vitest';
import { activityOf, api, newLead, tokens, setUpFlowWorld } from '../../flow-fixtures.ts';

setUpFlowWorld();

describe('lead lists', () => {
  it('adds a lead to a list once', async () => {
    const lead = await newLead('acmeMember');
    const list = await api.post('/api/lead-lists', { name: 'Hot accounts' }, tokens.acmeMember);
    expect(list.status).toBe(201);
    expect((await api.post('/api/lead-lists', { name: 'Hot accounts' }, tokens.acmeAdmin)).status).toBe(409);
    const added = await api.post(`/api/lead-lists/${list.body.id}/leads`, { lead_id: lead.id }, tokens.acmeMember);
    expect(added.body).toEqual({ list_id: list.body.id, lead_id: lead.id, added: true });
    const again = await api.post(`/api/lead-lists/${list.body.id}/leads`, { lead_id: lead.id }, tokens.acmeMember);
    expect(again.body.added).toBe(false);
    const entries = (await activityOf(lead.id)).filter((entry) => entry.type === 'lead.added_to_list');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ summary: 'Maya Chen added to list “Hot accounts”', meta: { list_id: list.body.id, list: 'Hot accounts' } });
    expect((await api.get('/api/lead-lists', tokens.acmeMember)).body.items.map((item: any) => item.name)).toContain('Hot accounts');
    expect((await api.get('/api/lead-lists', tokens.globexMember)).body.items).toEqual([]);
  });
});
