import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AuditStreamSettings } from '../../config.ts';
import { AuditStreamSender } from '../../services/audit-streams/deliver-audit-streams.ts';

const PRUNE_EVERY_MS = 10 * 60 * 1000;

/**
 * Sends the activity log to SIEM streams from this instance: every `pollMs` it takes the
 * streams that are due and free (see AuditStreamSender for the lease), and every ten minutes
 * prunes the stream log. Every instance runs it; each stream has one sender at a time.
 */
export default fp(
  async function auditStreams(fastify: FastifyInstance, options: { settings: AuditStreamSettings }) {
    const { settings } = options;
    const extraCa = settings.trustedCaFile ? readFileSync(settings.trustedCaFile, 'utf8') : undefined;
    // Host and pid first: an operator reading a stream's lease_owner knows which instance sends.
    const instanceId = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
    const sender = new AuditStreamSender(fastify.db, settings, instanceId, fastify.log, extraCa);
    let ticking: Promise<void> | undefined;
    const timer = setInterval(() => {
      if (ticking) return;
      ticking = sender
        .tick()
        .catch((error) => fastify.log.warn({ err: error }, 'looking for SIEM streams to send failed; will retry'))
        .finally(() => (ticking = undefined));
    }, settings.pollMs).unref();
    const pruner = setInterval(() => {
      sender.pruneLog().catch((error) => fastify.log.warn({ err: error }, 'pruning the SIEM stream log failed; will retry'));
    }, PRUNE_EVERY_MS).unref();
    fastify.addHook('onClose', async () => {
      clearInterval(timer);
      clearInterval(pruner);
      await ticking;
      await sender.close();
    });
  },
  { name: 'audit-streams', dependencies: ['db'] },
);
