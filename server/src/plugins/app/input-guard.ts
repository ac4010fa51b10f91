import fp from 'fastify-plugin';
import { badRequest } from '../../lib/errors.ts';

/** Deeper JSON than any client of this API sends; PostgreSQL's jsonb and our walkers stay far from their limits. */
export const MAX_JSON_DEPTH = 32;

// A UTF-16 surrogate without its partner: valid in a JS string, not storable as UTF-8 text or jsonb.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored as text, or undefined when it can. */
export function unstorableText(value: string): string | undefined {
  if (value.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(value)) return 'contains an unpaired UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

function check(value: unknown, where: string, path: string[], depth: number): void {
  const name = () => [where, ...path].join('.');
  if (typeof value === 'string') {
    const problem = unstorableText(value);
    if (problem) throw badRequest(`${name()} ${problem}.`, 'invalid_request');
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth >= MAX_JSON_DEPTH) throw badRequest(`${name()} is nested more than ${MAX_JSON_DEPTH} levels deep.`, 'invalid_request');
  for (const [key, child] of Object.entries(value)) {
    const problem = unstorableText(key);
    if (problem) throw badRequest(`${name()} has a key that ${problem}.`, 'invalid_request');
    check(child, where, [...path, key], depth + 1);
  }
}

/**
 * Refuses, before validation, what no PostgreSQL text or jsonb column can hold (NUL, lone
 * surrogates) and absurdly deep JSON, anywhere in params, query or body, with a 400 naming the
 * field. The schemas say what each route accepts; this says what no route can.
 */
export default fp(
  async function inputGuard(fastify) {
    fastify.addHook('preValidation', async (request) => {
      check(request.params, 'params', [], 0);
      check(request.query, 'querystring', [], 0);
      check(request.body, 'body', [], 0);
    });
  },
  { name: 'input-guard' },
);
