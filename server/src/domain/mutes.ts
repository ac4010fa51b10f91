/** What a notification is about, as a mute key: everything about one lead, job or playbook run. */
export function entityKeyOf(meta: unknown): string | null {
  const m = (meta ?? {}) as Record<string, unknown>;
  const id = (value: unknown) => (typeof value === 'string' && value ? value : null);
  if (id(m.lead_id)) return `lead:${m.lead_id}`;
  if (id(m.playbook_run_id)) return `playbook_run:${m.playbook_run_id}`;
  if (id(m.job_id)) return `job:${m.job_id}`;
  return null;
}

export const MUTE_SCOPES = ['type', 'entity'] as const;
export type MuteScope = (typeof MUTE_SCOPES)[number];
