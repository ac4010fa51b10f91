import { describe, expect, it } from 'vitest';
import { activityOf, api, inbox, newLead, newTask, server, tokens, world, setUpFlowWorld } from '../../flow-fixtures.ts';

setUpFlowWorld();

describe('tasks', () => {
  it('notifies the assignee with a personal task_assigned pointing at the lead’s tasks', async () => {
    const lead = await newLead('acmeAdmin');
    const response = await api.post(
      '/api/tasks',
      { lead_id: lead.id, title: 'Send case study', assignee_user_id: world.users.acmeMember.id, due_at: '2026-12-01T09:00:00.000Z' },
      tokens.acmeAdmin,
    );
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      lead_id: lead.id,
      title: 'Send case study',
      assignee_user_id: world.users.acmeMember.id,
      creator_user_id: world.users.acmeAdmin.id,
      due_at: '2026-12-01T09:00:00.000Z',
      completed_at: null,
    });
    const [notification] = (await inbox('acmeMember')).filter((item) => item.meta.task_id === response.body.id);
    expect(notification).toEqual({
      id: expect.any(String),
      workspace_id: world.acme.id,
      user_id: world.users.acmeMember.id,
      type: 'task_assigned',
      title: 'New task assigned',
      body: 'Send case study — Maya Chen (from acme-admin)',
      target_url: `/leads/${lead.id}?tab=tasks`,
      meta: { task_id: response.body.id, lead_id: lead.id, due_at: '2026-12-01T09:00:00.000Z' },
      read_at: null,
      archived_at: null,
      claimed_by: null,
      claimed_at: null,
      escalated_at: null,
      seen_at: null,
      snoozed_until: null,
      reason: 'You were assigned this task',
      created_at: expect.any(String),
      first_arrived_at: expect.any(String),
    });
    // Personal: nobody else gets it, admins included.
    expect((await inbox('acmeAdmin2')).some((item) => item.meta.task_id === response.body.id)).toBe(false);
    const [entry] = (await activityOf(response.body.id));
    expect(entry).toMatchObject({
      type: 'task.created',
      actor_user_id: world.users.acmeAdmin.id,
      summary: 'acme-admin created task “Send case study” for Maya Chen, assigned to acme-member',
      meta: { lead_id: lead.id, assignee_user_id: world.users.acmeMember.id },
    });
  });

  it('does not notify someone who assigned the task to themselves', async () => {
    const lead = await newLead('acmeMember');
    const task = await newTask('acmeMember', lead.id, 'acmeMember');
    expect((await inbox('acmeMember')).some((item) => item.meta.task_id === task.id)).toBe(false);
    expect((await activityOf(task.id)).map((entry) => entry.type)).toEqual(['task.created']);
  });

  it('refuses an assignee outside the workspace', async () => {
    const lead = await newLead('acmeAdmin');
    const response = await api.post(
      '/api/tasks',
      { lead_id: lead.id, title: 'x', assignee_user_id: world.users.globexMember.id },
      tokens.acmeAdmin,
    );
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('not_a_member');
    expect(await server.db.task.count({ where: { leadId: lead.id } })).toBe(0);
  });

  it('completes a task: the creator is notified; others cannot; twice is 409', async () => {
    const lead = await newLead('acmeAdmin');
    const task = await newTask('acmeAdmin', lead.id, 'acmeMember', 'Prepare demo');
    expect((await api.post(`/api/tasks/${task.id}/complete`, undefined, tokens.both)).status).toBe(403);
    expect((await api.post(`/api/tasks/${task.id}/complete`, undefined, tokens.globexAdmin)).status).toBe(404);

    const done = await api.post(`/api/tasks/${task.id}/complete`, undefined, tokens.acmeMember);
    expect(done.status).toBe(200);
    expect(done.body.completed_at).toEqual(expect.any(String));
    const [notification] = (await inbox('acmeAdmin')).filter((item) => item.type === 'task_completed' && item.meta.task_id === task.id);
    expect(notification).toMatchObject({
      user_id: world.users.acmeAdmin.id,
      title: 'Task completed',
      body: 'acme-member completed “Prepare demo” — Maya Chen',
      target_url: `/leads/${lead.id}?tab=tasks`,
      meta: { task_id: task.id, lead_id: lead.id },
    });
    expect((await activityOf(task.id))[0]).toMatchObject({ type: 'task.completed', actor_user_id: world.users.acmeMember.id });

    const again = await api.post(`/api/tasks/${task.id}/complete`, undefined, tokens.acmeAdmin);
    expect(again.status).toBe(409);
    expect((await inbox('acmeAdmin')).filter((item) => item.meta.task_id === task.id)).toHaveLength(1);
  });
});
