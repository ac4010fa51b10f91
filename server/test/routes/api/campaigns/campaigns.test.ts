import { describe, expect, it } from 'vitest';
import { activityOf, api, inbox, newLead, tokens, world, setUpFlowWorld } from '../../flow-fixtures.ts';

setUpFlowWorld();

describe('campaigns', () => {
  it('sends once, records outcomes, and tells the owner about replies and meetings only', async () => {
    const leads = [await newLead('acmeMember', { name: 'Noah Kim' }), await newLead('acmeMember', { name: 'Emma Rossi' })];
    const created = await api.post('/api/campaigns', { name: 'Q4 CFO outreach', owner_user_id: world.users.acmeAdmin2.id }, tokens.acmeMember);
    expect(created.status).toBe(201);
    const id = created.body.id;
    const sent = await api.post(`/api/campaigns/${id}/send`, { lead_ids: leads.map((lead) => lead.id) }, tokens.acmeMember);
    expect(sent.body).toMatchObject({ recipient_count: 2, sent_at: expect.any(String), owner_user_id: world.users.acmeAdmin2.id });
    expect((await api.post(`/api/campaigns/${id}/send`, { lead_ids: [leads[0]!.id] }, tokens.acmeMember)).status).toBe(409);
    const [sentEntry] = await activityOf(id);
    expect(sentEntry).toMatchObject({ type: 'campaign.sent', meta: { campaign: 'Q4 CFO outreach', recipients: 2 } });

    for (const outcome of ['opened', 'bounced', 'replied', 'meeting_booked']) {
      const response = await api.post(`/api/campaigns/${id}/outcomes`, { lead_id: leads[0]!.id, outcome }, tokens.acmeMember);
      expect(response.status).toBe(200);
    }
    const outcomes = (await activityOf(leads[0]!.id)).filter((entry) => entry.type === 'campaign.outcome');
    expect(outcomes.map((entry) => [entry.meta.outcome, entry.severity])).toEqual([
      ['meeting_booked', 'info'],
      ['replied', 'info'],
      ['bounced', 'warning'],
      ['opened', 'info'],
    ]);
    const notifications = (await inbox('acmeAdmin2')).filter((item) => item.type === 'campaign_outcome');
    expect(notifications.map((item) => [item.title, item.body, item.target_url, item.meta])).toEqual([
      ['Meeting booked with Noah Kim', 'Campaign “Q4 CFO outreach”', `/leads/${leads[0]!.id}`, { campaign_id: id, lead_id: leads[0]!.id, outcome: 'meeting_booked' }],
      ['Noah Kim replied', 'Campaign “Q4 CFO outreach”', `/leads/${leads[0]!.id}`, { campaign_id: id, lead_id: leads[0]!.id, outcome: 'replied' }],
    ]);

    const stranger = await newLead('acmeMember', { name: 'Not sent' });
    expect((await api.post(`/api/campaigns/${id}/outcomes`, { lead_id: stranger.id, outcome: 'opened' }, tokens.acmeMember)).status).toBe(404);
    expect((await api.post(`/api/campaigns/${id}/outcomes`, { lead_id: leads[1]!.id, outcome: 'opened' }, tokens.globexAdmin)).status).toBe(404);
    expect((await api.post(`/api/campaigns/${id}/outcomes`, { lead_id: leads[1]!.id, outcome: 'won' }, tokens.acmeMember)).status).toBe(400);
  });
});
