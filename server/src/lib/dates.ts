/**
 * Years 1–9999: what ISO 8601 without a sign writes, and within PostgreSQL's timestamptz
 * range (year 0 and JavaScript's six-digit years are not).
 */
export const isStorableDate = (date: Date) => {
  const year = date.getUTCFullYear();
  return !Number.isNaN(date.getTime()) && year >= 1 && year <= 9999;
};
