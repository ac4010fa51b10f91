/**
 * "Why was I notified", in plain words. A personal notification carries its own reason (set by
 * the flow that knows the relation: assignee, owner, creator); the others say who they went to.
 */
export type Audience = 'personal' | 'admins' | 'super_admins';

export const DEFAULT_PERSONAL_REASON = 'It was sent to you';

export function reasonFor(audience: Audience, workspaceName: string, personalReason?: string): string {
  switch (audience) {
    case 'personal':
      return personalReason ?? DEFAULT_PERSONAL_REASON;
    case 'admins':
      return `You are an admin of ${workspaceName}`;
    case 'super_admins':
      return `You are a super admin: critical events of every workspace reach you (this one from ${workspaceName})`;
  }
}
