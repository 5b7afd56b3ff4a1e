import {
  condition,
  continueAsNew,
  log,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { notifyAll } from '../notify/workflow.js';
import type { SubscriptionActivities } from './activities.js';
import { subscriptionState, workspaceChanged } from './definitions.js';
import type { CycleInfo, SubscriptionInput, SubscriptionState } from './types.js';

/**
 * Local activities: each is a few short, idempotent statements on the ledger in this worker's
 * process, so they run inside the workflow task (one marker in the history) instead of going
 * through the server's activity task queue. At a renewal this halves the server's work and the
 * worker's round trips (see bench/lifecycle.ts). A crash mid-way re-runs them: every grant and
 * expiry is idempotent per (workspace, cycle).
 */
const acts = proxyLocalActivities<SubscriptionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const DEFAULT_CYCLES_PER_RUN = 12;

/**
 * One subscription's lifecycle (workflow id `subscription-<workspace>`), anchored on its billing
 * date: each cycle grants the plan's allocation as a lot that expires at the cycle's end, reminds
 * before it expires, then at the boundary (one `renewCycle` activity) grants the rollover the plan
 * allows and the next allocation, and only then expires the rest of the ended cycle, so a renewal
 * never takes the balance through 0 (no spurious `depleted`/`recovered` alerts). Plan and status
 * changes arrive as `workspaceChanged` signals; the workflow re-reads the workspace then:
 * - plan change: next cycle by default; `immediate` upgrades top the current cycle up;
 * - `past_due`: the running cycle ends normally, no new allocation until `active` again;
 * - `canceled`: no new allocation; the running cycle's lot lasts to its end, then the flow ends;
 * - a trial plan grants its credits once (never expiring) and waits for a change.
 * Every grant and expiry is idempotent per (workspace, cycle), so retries and replays never double.
 */
export async function subscriptionWorkflow(input: SubscriptionInput): Promise<string> {
  const { workspaceId } = input;
  let changed = false;
  const state: SubscriptionState = {
    workspaceId,
    phase: 'starting',
    status: null,
    plan: null,
    cycle: null,
    cyclesThisRun: 0,
  };
  setHandler(workspaceChanged, (change) => {
    changed = true;
    if (change.status) state.status = change.status;
    if (change.plan) state.plan = change.plan;
  });
  setHandler(subscriptionState, () => state);

  let nextIndex = input.nextIndex;
  let cyclesPerRunSetting: number | undefined;
  // The cycle already granted (by the previous boundary, possibly in the previous run).
  let cycle: CycleInfo | null = input.cycle ?? null;
  for (;;) {
    if (!cycle) {
      changed = false;
      const snap = await acts.subscriptionSnapshot(workspaceId);
      state.status = snap.status;
      state.plan = snap.plan;
      cyclesPerRunSetting = snap.cyclesPerRun;
      if (!snap.exists || snap.status === 'canceled') {
        state.phase = 'ended';
        return snap.exists ? 'canceled' : 'workspace not found';
      }
      if (snap.kind === 'trial') {
        state.phase = 'trial';
        if (snap.status === 'active' || snap.status === 'trialing') await acts.grantTrial(workspaceId);
        await condition(() => changed);
        continue;
      }
      if (snap.status === 'past_due') {
        state.phase = 'paused';
        await condition(() => changed);
        continue;
      }
      cycle = await acts.beginCycle({ workspaceId, minIndex: nextIndex });
    }
    state.phase = 'in_cycle';
    state.cycle = cycle;
    state.plan ??= cycle.plan;
    let reminded = cycle.reminderAt === null;
    const end = Date.parse(cycle.end);
    for (;;) {
      const now = Date.now();
      if (now >= end) break;
      const wakeAt = reminded ? end : Math.min(end, Date.parse(cycle.reminderAt!));
      if (wakeAt > now) {
        const woke = await condition(() => changed, wakeAt - now);
        if (woke) {
          changed = false;
          const changedTo = await acts.subscriptionSnapshot(workspaceId);
          state.status = changedTo.status;
          state.plan = changedTo.plan;
          if (changedTo.exists && changedTo.plan !== cycle.plan && changedTo.status !== 'canceled') {
            cycle = await acts.applyPlanChange({ workspaceId, cycle });
            state.cycle = cycle;
          }
          continue;
        }
      }
      if (!reminded && Date.now() >= Date.parse(cycle.reminderAt!)) {
        reminded = true;
        const reminder = await acts.expiryReminder({ workspaceId, cycle });
        if (reminder) await notifyAll(reminder);
      }
    }
    // One activity at the boundary: the next allocation (and rollover) is granted before the ended
    // cycle expires, so the balance never dips to 0 between the two.
    const renewed = await acts.renewCycle({ workspaceId, cycle });
    log.info('cycle ended', {
      workspaceId,
      cycle: cycle.index,
      expired: renewed.expired,
      rolledOver: renewed.rolledOver,
      next: renewed.next?.index ?? null,
    });
    nextIndex = cycle.index + 1;
    cycle = renewed.next;
    cyclesPerRunSetting = renewed.cyclesPerRun;
    state.status = renewed.status;
    state.plan = renewed.plan;
    state.cyclesThisRun++;
    const cyclesPerRun = input.cyclesPerRun ?? cyclesPerRunSetting ?? DEFAULT_CYCLES_PER_RUN;
    if (state.cyclesThisRun >= cyclesPerRun || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof subscriptionWorkflow>({
        workspaceId,
        nextIndex: cycle ? cycle.index + 1 : nextIndex,
        cyclesPerRun: input.cyclesPerRun,
        ...(cycle ? { cycle } : {}),
      });
    }
  }
}
