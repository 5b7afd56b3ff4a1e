import { ApplicationFailure } from '@temporalio/activity';
import type { ExpiryReminderNotification } from '../../application/notifications.js';
import { cycleAt, cycleByIndex } from '../../ledger/billing.js';
import type { Plan } from '../../ledger/catalog/schema.js';
import { isCreditsError } from '../../ledger/errors.js';
import { type GrantInput, systemKey } from '../../ledger/ledger.js';
import type { SubscriptionStatus } from '../../ledger/types.js';
import { type ActivityDeps, DAY_MS } from '../deps.js';
import type { CycleInfo, SubscriptionSnapshot } from './types.js';

export interface SubscriptionActivities {
  subscriptionSnapshot(workspaceId: string): Promise<SubscriptionSnapshot>;
  grantTrial(workspaceId: string): Promise<{ granted: number; replayed: boolean }>;
  beginCycle(input: { workspaceId: string; minIndex?: number }): Promise<CycleInfo>;
  applyPlanChange(input: { workspaceId: string; cycle: CycleInfo }): Promise<CycleInfo>;
  expiryReminder(input: {
    workspaceId: string;
    cycle: CycleInfo;
  }): Promise<ExpiryReminderNotification | null>;
  /**
   * The cycle boundary in one step: when the workspace continues (active or trialing on a
   * subscription plan), grant the next cycle's allocation and the rollover FIRST, then expire what
   * is left of the ended cycle, so the balance never dips to 0 in between (no `depleted`/`low`
   * then `recovered` alerts at every renewal). `next` is null when the workspace does not continue
   * (canceled, past_due, trial plan): the workflow then re-reads the workspace.
   */
  renewCycle(input: { workspaceId: string; cycle: CycleInfo }): Promise<RenewResult>;
}

export interface RenewResult {
  expired: number;
  rolledOver: number;
  /** The next cycle, already granted; null when the workspace does not continue. */
  next: CycleInfo | null;
  /** The worker's setting: continue as new after this many cycles. */
  cyclesPerRun: number;
  /** The workspace as read at the boundary. */
  status: SubscriptionStatus;
  plan: string;
}

const ACTOR = 'workflow:subscription';
/** How far a workflow's clock may run ahead of an activity's at a cycle boundary. */
const CLOCK_SKEW_MS = 60_000;

export function subscriptionActivities(deps: ActivityDeps): SubscriptionActivities {
  const { ledger, directory, catalog, timing } = deps;
  const plans = new Map(catalog.plans.map((p) => [p.key, p]));

  function planOf(key: string): Plan {
    const plan = plans.get(key);
    if (!plan) {
      throw ApplicationFailure.nonRetryable(
        `plan ${JSON.stringify(key)} is not in the catalog`,
        'UnknownPlan',
      );
    }
    return plan;
  }

  /**
   * Grants once per key: an earlier grant (even with another body, e.g. after a plan change) wins.
   * The ledger replays a repeat with the same body itself; when it refuses (another body: an
   * idempotency conflict; or a retry after the lot's expiry date: `expiresAt` in the past), the
   * earlier grant's lot is the answer, if there is one.
   */
  async function grantOnce(workspaceId: string, input: GrantInput): Promise<{ id: string; amount: number }> {
    try {
      const result = await ledger.grant(workspaceId, input);
      return { id: result.lot.id, amount: result.lot.amount };
    } catch (err) {
      if (isCreditsError(err) && (err.code === 'idempotency_conflict' || err.code === 'invalid_request')) {
        const again = await ledger.grantedLot(workspaceId, input.idempotencyKey);
        if (again) return again;
      }
      throw err;
    }
  }

  function reminderAt(end: Date, now: Date, granted: number): string | null {
    if (granted <= 0 || timing.reminderBeforeMs <= 0) return null;
    if (end.getTime() <= now.getTime()) return null;
    // Granted (or resumed) inside the reminder window: remind at once.
    return new Date(Math.max(end.getTime() - timing.reminderBeforeMs, now.getTime())).toISOString();
  }

  function label(plan: Plan, start: Date, end: Date): string {
    return `${plan.name} plan, cycle ${start.toISOString().slice(0, 10)} – ${end.toISOString().slice(0, 10)}`;
  }

  /** The grant of the workspace's current plan for its cycle at `now` (never before `minIndex`), and that cycle. */
  function cycleGrant(
    workspaceId: string,
    ws: { plan: string; billingAnchor: Date | string },
    minIndex: number | undefined,
    now: Date,
  ) {
    const plan = planOf(ws.plan);
    const anchor = new Date(ws.billingAnchor);
    const current = cycleAt(anchor, now, timing.periodMs);
    // The workflow's clock may be a hair ahead of this one at a boundary: never go back a cycle.
    // Further ahead than that is no cycle the billing anchor backs: a forged start input.
    const ahead =
      minIndex !== undefined && minIndex > current.index
        ? cycleByIndex(anchor, minIndex, timing.periodMs)
        : null;
    if (ahead && ahead.start.getTime() > now.getTime() + CLOCK_SKEW_MS) {
      throw ApplicationFailure.nonRetryable(
        `cycle ${minIndex} of ${workspaceId} starts ${ahead.start.toISOString()}, not now (cycle ${current.index}): refused`,
        'ForgedCycle',
      );
    }
    const cycle = ahead ?? current;
    const input: GrantInput = {
      type: 'subscription',
      amount: plan.credits,
      expiresAt: cycle.end,
      reason: label(plan, cycle.start, cycle.end),
      idempotencyKey: systemKey('cycle', workspaceId, cycle.index),
      origin: { kind: 'plan_cycle', plan: plan.key, cycle: cycle.index },
      actor: ACTOR,
      source: 'workflow',
      // The cycle's cost basis "as the catalog says": the plan's monthly price, to the cent.
      ...(plan.paid && plan.prices?.monthly !== undefined
        ? { price: { amount: plan.prices.monthly.toFixed(2), currency: catalog.currency } }
        : {}),
    };
    return { plan, cycle, input };
  }

  function cycleInfo(
    granted: ReturnType<typeof cycleGrant>,
    lot: { id: string; amount: number },
    now: Date,
  ): CycleInfo {
    const { cycle, plan } = granted;
    return {
      index: cycle.index,
      start: cycle.start.toISOString(),
      end: cycle.end.toISOString(),
      plan: plan.key,
      granted: lot.amount,
      lotIds: [lot.id],
      reminderAt: reminderAt(cycle.end, now, lot.amount),
    };
  }

  /** Grants cycle `index` of the workspace's current plan (idempotent per (workspace, cycle)). */
  async function grantCycle(
    workspaceId: string,
    ws: { plan: string; billingAnchor: Date | string },
    minIndex: number | undefined,
  ): Promise<CycleInfo> {
    const now = ledger.now();
    const granted = cycleGrant(workspaceId, ws, minIndex, now);
    return cycleInfo(granted, await grantOnce(workspaceId, granted.input), now);
  }

  /**
   * The rollover of `unused` credits of the ended cycle, as the plan allows (null: nothing rolls
   * over). Rolled-over credits are a subscription lot of their own, expiring at the end of the
   * next cycle unless the plan gives `expiresAfterDays` (scaled to the period when cycles are
   * shortened).
   */
  function rolloverGrant(
    workspaceId: string,
    ws: { billingAnchor: Date | string },
    cycle: CycleInfo,
    unused: number,
    now: Date,
  ): GrantInput | null {
    const rollover = plans.get(cycle.plan)?.rollover ?? { mode: 'none' as const };
    if (rollover.mode === 'none' || unused <= 0) return null;
    const amount =
      rollover.mode === 'capped'
        ? Math.min(rollover.cap, unused)
        : Math.floor((unused * rollover.percent) / 100);
    if (amount <= 0) return null;
    const end = new Date(cycle.end);
    const next = cycleByIndex(new Date(ws.billingAnchor), cycle.index + 1, timing.periodMs);
    const days = rollover.expiresAfterDays;
    const expiresAt =
      days === undefined
        ? next.end
        : new Date(end.getTime() + (timing.periodMs ? (days / 30) * timing.periodMs : days * DAY_MS));
    if (expiresAt <= now) return null;
    return {
      type: 'subscription',
      amount,
      expiresAt,
      reason: `rollover of ${amount} unused credits from the cycle ending ${cycle.end.slice(0, 10)}`,
      idempotencyKey: systemKey('rollover', workspaceId, cycle.index),
      origin: { kind: 'rollover', plan: cycle.plan, fromCycle: cycle.index },
      actor: ACTOR,
      source: 'workflow',
    };
  }

  /**
   * The cycle a workflow hands back, checked against the ledger: its allocation was granted (the
   * first lot is that grant, of at least that size) and its dates are the billing anchor's. A
   * workflow started with a made-up cycle is refused for good, before anything is granted.
   */
  async function backed(workspaceId: string, cycle: CycleInfo): Promise<CycleInfo> {
    const ws = await directory.workspace(workspaceId);
    const index = Number.isSafeInteger(cycle?.index) ? cycle.index : -1;
    const lot =
      index >= 0 ? await ledger.grantedLot(workspaceId, systemKey('cycle', workspaceId, index)) : null;
    const dates = index >= 0 ? cycleByIndex(new Date(ws.billingAnchor), index, timing.periodMs) : null;
    if (
      !lot ||
      !dates ||
      cycle.lotIds?.[0] !== lot.id ||
      !(cycle.granted >= lot.amount) ||
      Date.parse(cycle.end) !== dates.end.getTime() ||
      Date.parse(cycle.start) !== dates.start.getTime()
    ) {
      throw ApplicationFailure.nonRetryable(
        `cycle ${String(cycle?.index)} of ${workspaceId} is not the one the ledger granted: refused`,
        'ForgedCycle',
      );
    }
    return cycle;
  }

  return {
    async subscriptionSnapshot(workspaceId) {
      const row = await directory.findWorkspace(workspaceId);
      if (!row) {
        return {
          exists: false,
          cyclesPerRun: timing.cyclesPerRun,
          status: 'canceled',
          plan: '',
          kind: 'subscription',
          credits: 0,
          planChange: 'next_cycle',
        };
      }
      const plan = planOf(row.plan);
      return {
        exists: true,
        status: row.status,
        plan: plan.key,
        kind: plan.kind,
        credits: plan.credits,
        planChange: plan.planChange,
        cyclesPerRun: timing.cyclesPerRun,
      };
    },

    async grantTrial(workspaceId) {
      const ws = await directory.workspace(workspaceId);
      const plan = planOf(ws.plan);
      const key = systemKey('trial', workspaceId);
      const before = await ledger.grantedLot(workspaceId, key);
      if (before) return { granted: before.amount, replayed: true };
      const lot = await grantOnce(workspaceId, {
        type: plan.creditType,
        amount: plan.credits,
        expiresAt: null,
        reason: `${plan.name}: ${plan.credits} credits, once`,
        idempotencyKey: key,
        origin: { kind: 'trial', plan: plan.key },
        actor: ACTOR,
        source: 'workflow',
      });
      return { granted: lot.amount, replayed: false };
    },

    async beginCycle({ workspaceId, minIndex }) {
      return grantCycle(workspaceId, await directory.workspace(workspaceId), minIndex);
    },

    async applyPlanChange({ workspaceId, cycle: given }) {
      const cycle = await backed(workspaceId, given);
      const ws = await directory.workspace(workspaceId);
      const plan = planOf(ws.plan);
      const end = new Date(cycle.end);
      const now = ledger.now();
      if (plan.key === cycle.plan || plan.kind !== 'subscription' || now >= end) return cycle;
      if (plan.planChange !== 'immediate') return cycle;
      // Upgrade now: top the cycle up to the new plan's allocation, expiring with the cycle.
      // A downgrade keeps what was granted; the next cycle gets the smaller allocation.
      const extra = plan.credits - cycle.granted;
      if (extra <= 0) return { ...cycle, plan: plan.key };
      const lot = await grantOnce(workspaceId, {
        type: 'subscription',
        amount: extra,
        expiresAt: end,
        reason: `${plan.name} plan from now: ${extra} more credits for the rest of the cycle`,
        idempotencyKey: systemKey('cycle', workspaceId, cycle.index, 'plan', plan.key),
        origin: { kind: 'plan_change', plan: plan.key, from: cycle.plan, cycle: cycle.index },
        actor: ACTOR,
        source: 'workflow',
      });
      return {
        ...cycle,
        plan: plan.key,
        granted: cycle.granted + lot.amount,
        lotIds: [...cycle.lotIds, lot.id],
      };
    },

    async expiryReminder({ workspaceId, cycle: given }) {
      const cycle = await backed(workspaceId, given);
      const amount = await ledger.remainingInLots(workspaceId, cycle.lotIds);
      if (amount <= 0) return null;
      return {
        kind: 'expiry_reminder',
        id: `expiry:${workspaceId}:${cycle.index}`,
        workspaceId,
        amount,
        lotType: 'subscription',
        expiresAt: cycle.end,
        occurredAt: ledger.now().toISOString(),
      };
    },

    async renewCycle({ workspaceId, cycle: given }) {
      const cycle = await backed(workspaceId, given);
      // One ledger transaction: it reads the workspace and what the ended cycle left unused (its
      // lots are past their end, so nothing can spend them any more), grants what `grants`
      // decides on that, and only then expires the ended lots, so the balance never dips to 0.
      const now = ledger.now();
      let next: ReturnType<typeof cycleGrant> | null = null;
      let rollover: GrantInput | null = null;
      const closed = await ledger.closeCycle(workspaceId, {
        lotIds: cycle.lotIds,
        endsAt: cycle.end,
        grants: (ws) => {
          const continues =
            (ws.status === 'active' || ws.status === 'trialing') &&
            plans.get(ws.plan)?.kind === 'subscription';
          if (!continues) return [];
          // The allocation first: the ended lots no longer count, so a small rollover granted
          // first could itself cross a threshold on its way up.
          next = cycleGrant(workspaceId, ws, cycle.index + 1, now);
          rollover = rolloverGrant(workspaceId, ws, cycle, ws.unused, now);
          return rollover ? [next.input, rollover] : [next.input];
        },
      });
      const { closeout } = closed;
      return {
        expired: closeout.unused,
        rolledOver: rollover ? closed.lots[1]!.amount : 0,
        next: next ? cycleInfo(next, closed.lots[0]!, now) : null,
        cyclesPerRun: timing.cyclesPerRun,
        status: closeout.status,
        plan: closeout.plan,
      };
    },
  };
}
