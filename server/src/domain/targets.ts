import { leadUrl } from './notifications.ts';

/**
 * Where the thing an activity entry is about opens in the host app: a path that clients join
 * to their web app's base URL, as they do with notification targets. Null: nothing to open
 * (users, API keys, rules).
 */
export function activityTargetUrl(entityType: string | null, entityId: string | null, meta: Record<string, unknown>): string | null {
  if (!entityId) return null;
  switch (entityType) {
    case 'lead':
      return leadUrl(entityId);
    case 'task':
      return typeof meta.lead_id === 'string' ? `${leadUrl(meta.lead_id)}?tab=tasks` : null;
    case 'campaign':
      return `/campaigns/${entityId}`;
    case 'job':
      return `/jobs/${entityId}`;
    case 'playbook_run':
      return `/playbooks/runs/${entityId}`;
    default:
      return null;
  }
}

/** The changed fields an entry records as `meta.changes: {field: {from, to}}`, old → new. */
export function activityChanges(meta: Record<string, unknown>): { field: string; from: unknown; to: unknown }[] {
  const changes = meta.changes;
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) return [];
  return Object.entries(changes as Record<string, unknown>)
    .filter(([, change]) => !!change && typeof change === 'object' && 'from' in change && 'to' in change)
    .map(([field, change]) => ({ field, from: (change as { from: unknown }).from, to: (change as { to: unknown }).to }));
}
