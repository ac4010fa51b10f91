import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { evaluateAlertRules, fireIfDue, type RuleRotation } from '../../services/alert-rules/evaluate-alert-rules.ts';

/** Workspaces whose rules may be firing at once (each lane holds a database connection). */
const FIRING_LANES = 4;

/**
 * Evaluates alert rules every `everyMs` on this instance, one run at a time, at most
 * `rulesPerWorkspace` rules of each workspace per run (its further rules take turns across
 * runs). Rules found at their threshold are fired in a lane per workspace, one after another,
 * while the next runs go on: a workspace whose rules fire by the dozen delays its own alerts,
 * never the next run or another workspace's. When every lane is busy a rule stays due and is
 * found again by the next run. Every instance does so: a firing is claimed atomically
 * (fireIfDue), so running on several only shortens the delay, never doubles an alert.
 */
export default fp(
  async function alertRules(fastify: FastifyInstance, options: { everyMs: number; rulesPerWorkspace: number }) {
    let running: Promise<void> | undefined;
    let closed = false;
    const rotation: RuleRotation = new Map();
    /** Rules waiting to be fired, by workspace; a workspace is in the map while its lane runs. */
    const lanes = new Map<string, Set<string>>();
    const draining = new Set<Promise<void>>();

    const drain = async (pending: Set<string>, workspaceKey: string) => {
      // A Set's iteration also visits the rules added while the lane runs.
      for (const ruleId of pending) {
        pending.delete(ruleId);
        if (closed) break;
        try {
          if (await fireIfDue(fastify.db, ruleId)) fastify.log.info({ alertRule: ruleId }, 'alert rule fired');
        } catch (error) {
          fastify.log.warn({ err: error, alertRule: ruleId }, 'firing an alert rule failed; will retry');
        }
      }
      lanes.delete(workspaceKey);
    };
    const fire = (ruleId: string, workspaceKey: string) => {
      let pending = lanes.get(workspaceKey);
      if (!pending) {
        if (lanes.size >= FIRING_LANES || closed) return;
        pending = new Set();
        lanes.set(workspaceKey, pending);
        const lane = Promise.resolve().then(() => drain(pending!, workspaceKey));
        draining.add(lane);
        void lane.finally(() => draining.delete(lane));
      }
      pending.add(ruleId);
    };

    const run = async () => {
      try {
        await evaluateAlertRules(fastify.db, { rulesPerWorkspace: options.rulesPerWorkspace, rotation, fire });
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
      await Promise.all(draining);
    });
  },
  { name: 'alert-rules', dependencies: ['db'] },
);
