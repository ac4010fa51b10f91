import { describe, expect, it } from 'vitest';
import { activityOf, api, inbox, tokens, setUpFlowWorld } from '../../flow-fixtures.ts';

setUpFlowWorld();

describe('playbook runs', () => {
  it('a completed run tells the workspace’s admins “… completed (243 leads added)”', async () => {
    const started = await api.post('/api/playbook-runs', { playbook_name: 'LinkedIn → Campaign' }, tokens.acmeMember);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ status: 'running', job_id: expect.any(String) });
    const done = await api.post(`/api/playbook-runs/${started.body.id}/complete`, { leads_added: 243, leads_skipped: 7 }, tokens.acmeMember);
    expect(done.body).toMatchObject({ status: 'completed', leads_added: 243, leads_skipped: 7 });
    expect((await api.post(`/api/playbook-runs/${started.body.id}/fail`, { error: 'late' }, tokens.acmeMember)).status).toBe(409);

    const entries = await activityOf(started.body.id);
    expect(entries.map((entry) => entry.type)).toEqual(['playbook.completed', 'playbook.run']);
    expect(entries[0]).toMatchObject({
      summary: 'Playbook “LinkedIn → Campaign” completed (243 leads added)',
      meta: { leads_added: 243, leads_skipped: 7, job_id: started.body.job_id },
    });
    for (const admin of ['acmeAdmin', 'acmeAdmin2'] as const) {
      const [notification] = (await inbox(admin)).filter((item) => item.meta.playbook_run_id === started.body.id);
      expect(notification).toMatchObject({
        user_id: null,
        type: 'playbook_completed',
        title: 'Playbook completed',
        body: 'LinkedIn → Campaign completed (243 leads added)',
        target_url: `/playbooks/runs/${started.body.id}`,
        meta: { playbook_run_id: started.body.id, leads_added: 243 },
      });
    }
    expect((await inbox('acmeMember')).some((item) => item.meta.playbook_run_id === started.body.id)).toBe(false);
    expect((await inbox('globexAdmin')).some((item) => item.meta.playbook_run_id === started.body.id)).toBe(false);
    // The run's job is finished through the run, not on its own.
    expect((await api.post(`/api/jobs/${started.body.job_id}/complete`, null, tokens.acmeMember)).status).toBe(409);
  });

  it('a failed run is critical and tells the admins', async () => {
    const started = await api.post('/api/playbook-runs', { playbook_name: 'Event attendee import' }, tokens.acmeMember);
    const failed = await api.post(`/api/playbook-runs/${started.body.id}/fail`, { error: 'LinkedIn session expired' }, tokens.acmeMember);
    expect(failed.body).toMatchObject({ status: 'failed', error: 'LinkedIn session expired' });
    const [entry] = await activityOf(started.body.id);
    expect(entry).toMatchObject({ type: 'playbook.failed', severity: 'critical' });
    const [notification] = (await inbox('acmeAdmin')).filter((item) => item.meta.playbook_run_id === started.body.id);
    expect(notification).toMatchObject({
      type: 'playbook_failed',
      title: 'Playbook failed',
      body: 'Event attendee import failed: LinkedIn session expired',
    });
  });
});
