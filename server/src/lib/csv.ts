/**
 * One CSV field per RFC 4180: quoted when it holds a comma, a quote or a line break, quotes
 * doubled. A text that a spreadsheet would run as a formula (starting with =, +, -, @, or a
 * tab or carriage return that some spreadsheets skip before one) gets a leading apostrophe,
 * as OWASP recommends for CSV injection: the cell then shows as text.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record, with the CRLF line end RFC 4180 specifies. */
export const csvRecord = (values: readonly unknown[]) => `${values.map(csvField).join(',')}\r\n`;
