// How an audit entry's fields and values read to a person: field names in words, people by
// name instead of their ids.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const FIELD_LABELS: Record<string, string> = {
  owner_user_id: 'Owner',
  assignee_user_id: 'Assignee',
  actor_user_id: 'By',
  user_id: 'Person',
  workspace_id: 'Workspace',
  retention_days: 'Retention (days)',
  email_status: 'Email status',
};

/** "owner_user_id" → "Owner", "email_status" → "Email status". */
export function fieldLabel(field: string): string {
  const known = FIELD_LABELS[field];
  if (known) return known;
  const words = field.replace(/_(user_)?id$/, '').replace(/[._]/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** A UUID too long to read: its first block, the full id for hover and copy. */
export const shortId = (id: string) => (isUuid(id) ? `${id.slice(0, 8)}…` : id);

/**
 * A value as people read it: a known person's or workspace's name for their id, "—" for
 * nothing, lists and objects as text.
 */
export function valueLabel(value: unknown, names: ReadonlyMap<string, string>): { text: string; title?: string } {
  if (value === null || value === undefined || value === '') return { text: '—' };
  if (isUuid(value)) {
    const name = names.get(value);
    return name ? { text: name, title: value } : { text: shortId(value), title: value };
  }
  if (Array.isArray(value) && value.every(isUuid)) {
    return { text: value.map((id) => names.get(id) ?? shortId(id)).join(', '), title: value.join(', ') };
  }
  return { text: typeof value === 'object' ? JSON.stringify(value) : String(value) };
}

/** "lead" → "Lead", "alert_rule" → "Alert rule". */
export function entityLabel(entityType: string | null): string {
  if (!entityType) return 'Entry';
  const words = entityType.replace(/[._]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
