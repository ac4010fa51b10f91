// Small factories for unit tests (not bundled: only *.test.ts import this).
import type { AppNotification, Me } from './types.ts';

let seq = 0;

export function notification(over: Partial<AppNotification> = {}): AppNotification {
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
