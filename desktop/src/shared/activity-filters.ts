import { ACTIVITY_TYPES, AUDIT_ACTIVITY_TYPES } from './types.ts';
// The activity windows' filters as they live in the window's URL (`#/activity?q=…&severity=…`),
// so a view can be bookmarked or sent to a colleague; and the API query they become.

/** Filters of both activity windows; the admin window adds workspace and user. */
export interface ActivityViewFilters {
  q?: string;
  type?: string;
  severity?: 'info' | 'warning' | 'critical';
  /** Calendar days (YYYY-MM-DD, local time), both included. */
  from?: string;
  to?: string;
  entity_type?: string;
  entity_id?: string;
  workspace_id?: string;
  actor_user_id?: string;
  /** Only these entries (comma-separated ids): where an alert's link leads. */
  ids?: string;
}

const KEYS = ['q', 'type', 'severity', 'from', 'to', 'entity_type', 'entity_id', 'workspace_id', 'actor_user_id', 'ids'] as const;
const IDS = /^[0-9a-f-]{36}(,[0-9a-f-]{36}){0,99}$/i;
const SEVERITY_VALUES = ['info', 'warning', 'critical'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the filters from a window URL's query; unknown or malformed values are left out. */
export function filtersFromQuery(query: URLSearchParams): ActivityViewFilters {
  const out: ActivityViewFilters = {};
  for (const key of KEYS) {
    const value = query.get(key)?.trim();
    if (!value) continue;
    if (key === 'severity' && !SEVERITY_VALUES.includes(value)) continue;
    if ((key === 'from' || key === 'to') && !DAY.test(value)) continue;
    if (key === 'ids' && !IDS.test(value)) continue;
    (out as Record<string, string>)[key] = value;
  }
  return out;
}

/** The query string for a window URL, keys in a stable order, empty values left out. */
export function queryFromFilters(filters: ActivityViewFilters): string {
  const query = new URLSearchParams();
  for (const key of KEYS) {
    const value = filters[key];
    if (value) query.set(key, value);
  }
  return query.toString();
}

export function sameFilters(a: ActivityViewFilters, b: ActivityViewFilters): boolean {
  return queryFromFilters(a) === queryFromFilters(b);
}

/**
 * The API's parameters: the day range becomes `since` (the start of the first day) and
 * `until` (the start of the day after the last), in the viewer's time zone.
 */
export function apiQueryFromFilters(filters: ActivityViewFilters): Omit<ActivityViewFilters, 'from' | 'to'> & { since?: string; until?: string } {
  const { from, to, ...rest } = filters;
  const startOf = (day: string, plusDays = 0) => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return new Date(y, m - 1, d + plusDays).toISOString();
  };
  return { ...rest, since: from ? startOf(from) : undefined, until: to ? startOf(to, 1) : undefined };
}

export interface TextPart {
  text: string;
  match: boolean;
}

/**
 * Splits `text` into parts, marking where a searched word matches: at the start of a word,
 * case-insensitively, as the server's search matches word prefixes.
 */
export function highlightParts(text: string, q: string | undefined): TextPart[] {
  const words = (q ?? '')
    .split(/[^\p{L}\p{N}@._\-+/#]+/u)
    .filter((word) => /[\p{L}\p{N}]/u.test(word))
    // Escaped for a unicode-mode RegExp, where only syntax characters may be escaped.
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (words.length === 0) return [{ text, match: false }];
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${words.join('|')})`, 'giu');
  const parts: TextPart[] = [];
  let last = 0;
  for (const found of text.matchAll(pattern)) {
    if (found.index > last) parts.push({ text: text.slice(last, found.index), match: false });
    parts.push({ text: found[0], match: true });
    last = found.index + found[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  return parts;
}

/** The activity types a viewer can see, for pickers: members are not shown audit entries. */
export function visibleActivityTypes(canSeeAudit: boolean): readonly string[] {
  return canSeeAudit ? ACTIVITY_TYPES : ACTIVITY_TYPES.filter((type) => !(AUDIT_ACTIVITY_TYPES as readonly string[]).includes(type));
}
