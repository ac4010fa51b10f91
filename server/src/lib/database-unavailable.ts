import { sqlStateOf } from './database-errors.ts';

/** Prisma's codes for "cannot reach / timed out waiting for the database". */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
/** Driver adapter error kinds of the same. */
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'DatabaseDoesNotExist']);
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P03', '53300', '57014', '55P03', '25P03']);
const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Connection ended unexpectedly|Unable to start a transaction in the given time|Transaction already closed/i;

/**
 * The database cannot be reached or does not answer in time (as opposed to refusing a
 * statement): the request may succeed later, so it is a 503, not a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  // PostgreSQL said so itself: connection failures, admin shutdown, cannot connect now, too many
  // connections, and its own bounds: a statement or lock wait past its timeout, a session idle in
  // a transaction too long.
  const state = sqlStateOf(error);
  if (state && (state.startsWith('08') || TRANSIENT_SQLSTATES.has(state))) return true;
  for (let current: any = error, hops = 0; current && hops < 6; hops++) {
    if (PRISMA_CODES.has(current.code) || NODE_CODES.has(current.code) || ADAPTER_KINDS.has(current.kind)) return true;
    if (ADAPTER_KINDS.has(current.meta?.driverAdapterError?.cause?.kind)) return true;
    if (typeof current.message === 'string' && MESSAGES.test(current.message)) return true;
    current = current.cause ?? current.meta?.driverAdapterError;
  }
  return false;
}
