import { execFileSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A SIEM stand-in for tests: a real HTTP(S) server that records every request it gets and
 * answers as told, one behaviour per request in turn (then `ok`): 500s, no answer at all, a
 * connection dropped without an answer, or a slow 200.
 */
export type Behaviour = 'ok' | 'fail' | 'hang' | 'drop' | { slowMs: number };

export interface ReceivedRequest {
  at: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** What the receiver did with it. */
  behaviour: Behaviour;
  /** The signature checked against the secret given to `receiver` (with t within 5 minutes). */
  signatureValid: boolean;
  /** The entries' ids in the body's order (ndjson / splunk_hec / datadog). */
  ids: string[];
}

/** Stripe-style check: `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function signatureValid(header: string | undefined, body: string, secret: string, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((part) => part.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function idsOf(body: string): string[] {
  const trimmed = body.trim();
  if (trimmed.startsWith('[')) return (JSON.parse(trimmed) as { id: string }[]).map((entry) => entry.id);
  return trimmed
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const parsed = JSON.parse(line) as { id?: string; event?: { id: string } };
      return parsed.event?.id ?? parsed.id!;
    });
}

/** A self-signed certificate for localhost/127.0.0.1 (openssl), and the PEM file to trust it. */
export function selfSignedCertificate() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'siem-cert-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' });
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8'), caFile: cert };
}

export async function receiver(secret: string, options: { tls?: { key: string; cert: string } } = {}) {
  const requests: ReceivedRequest[] = [];
  const plan: Behaviour[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let fallback: Behaviour = 'ok';
  const handler = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const finish = () => {
      if (!done) inFlight--;
      done = true;
    };
    // Answered, or its connection gone (a dropped or abandoned request).
    response.once('close', finish);
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const behaviour = plan.shift() ?? fallback;
      let ids: string[] = [];
      try {
        ids = idsOf(body);
      } catch {
        // recorded with no ids: the test sees the body
      }
      requests.push({ at: Date.now(), headers: request.headers, body, behaviour, signatureValid: signatureValid(request.headers['x-signature'] as string, body, secret), ids });
      const answer = (status: number) => {
        finish();
        response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      };
      if (behaviour === 'ok') answer(200);
      else if (behaviour === 'fail') answer(500);
      else if (behaviour === 'drop') request.socket.destroy();
      else if (behaviour === 'hang') {
        // never answers; the sender gives up on its own
      } else setTimeout(() => answer(200), behaviour.slowMs);
    });
  };
  const server = options.tls ? https.createServer(options.tls, handler) : http.createServer(handler);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/intake`,
    requests,
    /** Behaviours for the next requests, in order. */
    answerNext(...behaviours: Behaviour[]) {
      plan.push(...behaviours);
    },
    /** What every request beyond the plan gets. */
    otherwise(behaviour: Behaviour) {
      fallback = behaviour;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    /** Ids of entries of accepted (2xx) requests, in arrival order, repeats included. */
    accepted() {
      return requests.filter((request) => request.behaviour === 'ok' || typeof request.behaviour === 'object').flatMap((request) => request.ids);
    },
    /** Every id received, in order, repeats included. */
    received() {
      return requests.flatMap((request) => request.ids);
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type Receiver = Awaited<ReturnType<typeof receiver>>;

/** First occurrences, in order: what a receiver de-duplicating on `id` keeps. */
export function deduplicated(ids: string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => (seen.has(id) ? false : (seen.add(id), true)));
}
