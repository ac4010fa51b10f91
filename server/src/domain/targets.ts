import { entityPath } from './links.ts';
import { jobUrl, leadUrl, playbookRunUrl } from './notifications.ts';

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
      return typeof meta.lead_id === 'string' ? leadUrl(meta.lead_id, '?tab=tasks') : null;
    case 'campaign':
      return entityPath('/campaigns', entityId);
    case 'job':
      return jobUrl(entityId);
    case 'playbook_run':
      return playbookRunUrl(entityId);
    default:
      return null;
  }
}

/**
 * The changed fields an entry records as `meta.changes: {field: {from, to}}`, old → new: only
 * the server's own audit detail. What an integration reported is its meta, never shown as a
 * change made in the app (POST /api/events refuses `meta.changes`; older entries may hold one).
 */
export function activityChanges(meta: Record<string, unknown>): { field: string; from: unknown; to: unknown }[] {
  if (meta.source === INTEGRATION_SOURCE) return [];
  const changes = meta.changes;
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) return [];
  return Object.entries(changes as Record<string, unknown>)
    .filter(([, change]) => !!change && typeof change === 'object' && 'from' in change && 'to' in change)
    .map(([field, change]) => ({ field, from: (change as { from: unknown }).from, to: (change as { to: unknown }).to }));
}

/** `meta.source` of every entry an integration reported. */
export const INTEGRATION_SOURCE = 'integration';
