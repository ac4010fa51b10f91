import { describe, expect, it } from 'vitest';
import { activityOf, api, inbox, tokens, setUpFlowWorld } from '../../flow-fixtures.ts';

setUpFlowWorld();

describe('jobs', () => {
  it('jobs: created and completed are recorded; failures are critical and collapse per kind while unread', async () => {
    const job = (await api.post('/api/jobs', { kind: 'csv_import', description: 'northwind.csv' }, tokens.acmeMember)).body;
    expect(job).toMatchObject({ kind: 'csv_import', status: 'running' });
    await api.post(`/api/jobs/${job.id}/complete`, { result: '812 rows' }, tokens.acmeMember);
    expect((await activityOf(job.id)).map((entry) => [entry.type, entry.summary])).toEqual([
      ['job.completed', 'csv_import job finished: 812 rows'],
      ['job.created', 'acme-member started a csv_import job: northwind.csv'],
    ]);

    const failing = [];
    for (const error of ['invalid email column', 'file is empty']) {
      const started = (await api.post('/api/jobs', { kind: 'enrichment' }, tokens.acmeMember)).body;
      const failed = await api.post(`/api/jobs/${started.id}/fail`, { error }, tokens.acmeMember);
      expect(failed.body.status).toBe('failed');
      failing.push(started.id);
    }
    for (const id of failing) expect((await activityOf(id))[0]).toMatchObject({ type: 'job.failed', severity: 'critical' });
    const notifications = (await inbox('acmeAdmin')).filter((item) => item.type === 'job_failed');
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({
      user_id: null,
      title: '2 enrichment jobs failed',
      body: 'Latest: file is empty',
      target_url: `/jobs/${failing[1]}`,
      meta: { job_id: failing[1], kind: 'enrichment', count: 2 },
    });

    // Once an admin has read it, the next failure is news again: a new notification.
    await api.patch(`/api/notifications/${notifications[0].id}`, { read: true }, tokens.acmeAdmin);
    const third = (await api.post('/api/jobs', { kind: 'enrichment' }, tokens.acmeMember)).body;
    await api.post(`/api/jobs/${third.id}/fail`, { error: 'timeout' }, tokens.acmeMember);
    const after = (await inbox('acmeAdmin2')).filter((item) => item.type === 'job_failed');
    expect(after.map((item) => [item.title, item.meta.count])).toEqual([
      ['Job failed: enrichment', 1],
      ['2 enrichment jobs failed', 2],
    ]);
  });
});
