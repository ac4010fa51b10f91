// Wire fixtures for unit tests, typed by the contract. Runtime-neutral: renderer tests use them too.
import type { ActivityItem, Me, NotificationItem, Page } from '../shared/types.ts';

let seq = 0;

export function notification(over: Partial<NotificationItem> = {}): NotificationItem {
  seq++;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    workspace_id: 'ws-acme',
    user_id: 'u-rep',
    type: 'task_assigned',
    title: `Task ${seq} assigned to you`,
    body: 'Call back Aria Müller',
    target_url: `/leads/${seq}`,
    meta: {},
    read_at: null,
    archived_at: null,
    seen_at: null,
    snoozed_until: null,
    reason: 'You were assigned this task',
    created_at: new Date().toISOString(),
    ...over,
  };
}

export function me(over: Partial<Me> = {}): Me {
  return {
    id: 'u-rep',
    email: 'rep@acme.test',
    name: 'Rita Rep',
    is_super_admin: false,
    current_workspace: { id: 'ws-acme', name: 'Acme Sales', role: 'member' },
    memberships: [{ workspace_id: 'ws-acme', workspace_name: 'Acme Sales', role: 'member' }],
    ...over,
  };
}

export function activity(over: Partial<ActivityItem> = {}): ActivityItem {
  seq++;
  return {
    id: `00000000-0000-4000-9000-${String(seq).padStart(12, '0')}`,
    workspace_id: 'ws-acme',
    workspace_name: 'Acme Sales',
    actor_user_id: null,
    actor_name: null,
    type: 'lead.created',
    entity_type: null,
    entity_id: null,
    summary: `entry ${seq}`,
    meta: {},
    severity: 'info',
    created_at: new Date(Date.UTC(2026, 10, 26, 0, 0, seq)).toISOString(),
    target_url: null,
    changes: [],
    ...over,
  };
}

/** One page of a list, as the server answers it. */
export function page<T>(items: T[], nextCursor: string | null = null): Page<T> {
  return { items, page: 1, page_size: 20, next_cursor: nextCursor };
}
