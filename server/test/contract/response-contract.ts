import diagnostics from 'node:diagnostics_channel';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Checks every response a test's server sends against the OpenAPI document that server
 * publishes (/docs/json): the status must be declared for the route, the media type declared
 * for that status, and a JSON body must match its schema. Installed through Fastify's own
 * `fastify.initialization` diagnostics channel, so the app under test is not changed for it.
 */

export interface ContractViolation {
  route: string;
  status: number;
  problem: string;
}

const violations: ContractViolation[] = [];
const seen = new Set<string>();

type OpenApiDocument = { paths: Record<string, Record<string, { responses?: Record<string, OpenApiResponse> }>> };
type OpenApiResponse = { content?: Record<string, { schema?: unknown }> };

interface Contract {
  document: OpenApiDocument;
  ajv: Ajv;
  validators: Map<string, ValidateFunction>;
}

const contracts = new WeakMap<FastifyInstance, Contract>();

function contractOf(fastify: FastifyInstance): Contract {
  let contract = contracts.get(fastify);
  if (!contract) {
    const document = (fastify as unknown as { swagger(): OpenApiDocument }).swagger();
    // OpenAPI 3.0 schemas: `nullable` and `example` are keywords there, not errors.
    const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
    addFormats.default(ajv);
    ajv.addKeyword({ keyword: 'example' });
    ajv.addSchema(document as object, 'openapi.json');
    contract = { document, ajv, validators: new Map() };
    contracts.set(fastify, contract);
  }
  return contract;
}

const pointer = (...parts: string[]) => parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

function record(route: string, status: number, problem: string) {
  const key = `${route} ${status} ${problem}`;
  if (seen.has(key)) return;
  seen.add(key);
  violations.push({ route, status, problem });
}

function check(fastify: FastifyInstance, request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  const url = request.routeOptions.url;
  // Unmatched URLs (404 from the not-found handler) belong to no operation.
  if (!url) return;
  const path = url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  const method = request.method.toLowerCase();
  const route = `${request.method} ${path}`;
  const status = reply.statusCode;
  const { document, ajv, validators } = contractOf(fastify);
  const operation = document.paths[path]?.[method];
  if (!operation) {
    // Undocumented on purpose: the Swagger UI itself, the web app's files, HEAD twins of GETs.
    if (path.startsWith('/api/') && method !== 'head') record(route, status, 'operation missing from the OpenAPI document');
    return;
  }
  const responses = operation.responses ?? {};
  const statusKey = [String(status), `${String(status)[0]}XX`, 'default'].find((key) => key in responses);
  if (!statusKey) {
    record(route, status, `status ${status} not declared (declared: ${Object.keys(responses).join(', ')})`);
    return;
  }
  const declared = responses[statusKey]!;
  const contentType = String(reply.getHeader('content-type') ?? '').split(';')[0]!.trim();
  const empty = payload === undefined || payload === null || payload === '';
  // Fastify sends no body with a 204 or 304, whatever the handler passed.
  if (status === 204 || status === 304) return;
  if (!declared.content) {
    if (!empty) record(route, status, `a ${contentType || 'untyped'} body where none is declared`);
    return;
  }
  const media = declared.content[contentType];
  if (!media) {
    record(route, status, `media type ${contentType || '(none)'} not declared (declared: ${Object.keys(declared.content).join(', ')})`);
    return;
  }
  // Streamed bodies (exports, the event stream) are checked by status and media type only.
  if (contentType !== 'application/json' || !media.schema || !(typeof payload === 'string' || Buffer.isBuffer(payload))) return;
  const ref = `openapi.json#/${pointer('paths', path, method, 'responses', statusKey, 'content', contentType, 'schema')}`;
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.getSchema(ref);
    if (!validate) throw new Error(`no schema at ${ref}`);
    validators.set(ref, validate);
  }
  let body: unknown;
  try {
    body = JSON.parse(payload.toString());
  } catch {
    record(route, status, 'declared application/json, sent a body that is not JSON');
    return;
  }
  if (!validate(body)) {
    const first = validate.errors?.[0];
    record(route, status, `body does not match its schema: ${first?.instancePath || '/'} ${first?.message ?? ''}`.trim());
  }
}

let installed = false;

/** Watches every Fastify instance created from now on in this process. */
export function watchResponses() {
  if (installed) return;
  installed = true;
  diagnostics.subscribe('fastify.initialization', (message) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onSend', async (request, reply, payload) => {
      try {
        check(fastify, request, reply, payload);
      } catch (error) {
        record(`${request.method} ${request.routeOptions.url ?? request.url}`, reply.statusCode, `validator failed: ${(error as Error).message}`);
      }
      return payload;
    });
  });
}

/** Violations seen so far (each distinct one once), emptied by the call. */
export function takeViolations(): ContractViolation[] {
  const taken = violations.splice(0);
  seen.clear();
  return taken;
}
