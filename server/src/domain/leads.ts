export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'disqualified'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export const EMAIL_STATUSES = ['unknown', 'found', 'verified', 'risky', 'invalid'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

export const EMAIL_VERIFICATION_RESULTS = ['deliverable', 'risky', 'undeliverable'] as const;
