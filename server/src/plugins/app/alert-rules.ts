import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { evaluateAlertRules, type RuleRotation } from '../../services/alert-rules/evaluate-alert-rules.ts';

/**
 * Evaluates alert rules every `everyMs` on this instance, one run at a time, at most
 * `rulesPerWorkspace` rules of each workspace per run (its further rules take turns across
 * runs). Every instance does so: a firing is claimed atomically (fireIfDue), so running on
 * several only shortens the delay, never doubles an alert.
 */
export default fp(
  async function alertRules(fastify: FastifyInstance, options: { everyMs: number; rulesPerWorkspace: number }) {
    let running: Promise<void> | undefined;
    let closed = false;
    const rotation: RuleRotation = new Map();
    const run = async () => {
      try {
        const fired = await evaluateAlertRules(fastify.db, { rulesPerWorkspace: options.rulesPerWorkspace, rotation });
        if (fired.length > 0) fastify.log.info({ alertRules: fired }, 'alert rules fired');
      } catch (error) {
        fastify.log.warn({ err: error }, 'evaluating alert rules failed; will retry');
      }
    };
    const timer = setInterval(() => {
      if (running || closed) return;
      running = run().finally(() => (running = undefined));
    }, options.everyMs).unref();
    fastify.addHook('onClose', async () => {
      closed = true;
      clearInterval(timer);
      await running;
    });
  },
  { name: 'alert-rules', dependencies: ['db'] },
);
