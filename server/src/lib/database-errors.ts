import pg from 'pg';

/**
 * The SQLSTATE of a PostgreSQL error: pg's own, or however Prisma wrapped it (a known request
 * error whose meta carries the driver adapter's error, or the adapter's error itself), or undefined.
 */
export function sqlStateOf(error: unknown): string | undefined {
  for (let current: any = error, hops = 0; current && hops < 5; hops++) {
    if (current instanceof pg.DatabaseError) return current.code;
    const code = current.originalCode ?? current.meta?.driverAdapterError?.cause?.originalCode;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = current.cause ?? current.meta?.driverAdapterError;
  }
  return undefined;
}

/**
 * A value the database refused as data: class 22 (invalid text, bytes, dates out of range,
 * bad JSON) or a statement too complex to run (54001). The request was bad, not the server.
 */
export const isInvalidValueError = (error: unknown) => {
  const state = sqlStateOf(error);
  return state !== undefined && (state.startsWith('22') || state === '54001');
};
