import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LifecycleHooks } from '../../application/lifecycle.js';
import type { SubscriptionStatus } from '../../ledger/types.js';
import { verifyLedger } from '../../ledger/verify.js';
import { type RunningWorker, startWorker } from '../../runtime/roles/worker.js';
import { createLifecycleHooks, subscriptionWorkflowId } from '../../workflows/client.js';
import { subscriptionState } from '../../workflows/subscription/definitions.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { eventually, RecordingNotifier, testContext, useTemporal } from '../support/temporal.js';

// Long enough that a loaded CI machine (activities delayed by seconds) never skips a cycle: a flow
// that wakes after its cycle ended grants the cycle it is in, by design.
const PERIOD = 2500;
const sql = useTestDatabase();
const temporal = useTemporal();
const ctx = testContext(sql, { cyclePeriodMs: PERIOD });
const notifier = new RecordingNotifier();
let running: RunningWorker;
let hooks: LifecycleHooks;

beforeAll(async () => {
  running = await startWorker(ctx, {
    connection: temporal.env().nativeConnection,
    client: temporal.env().client,
    taskQueue: uniqueId('subs'),
    workflowBundle: temporal.bundle(),
    notifiers: [notifier],
    timing: { periodMs: PERIOD, reminderBeforeMs: 800, cyclesPerRun: 5 },
    maintenanceEveryMs: null,
    dispatchAlerts: false,
  });
  hooks = createLifecycleHooks({ client: running.client, taskQueue: running.taskQueue });
});
afterAll(async () => {
  await running?.stop();
});

interface Entry {
  id: number;
  kind: string;
  delta: number;
  key: string | null;
  lotId: number;
  lotType: string;
  expiresAt: Date | null;
}

async function entries(ws: string): Promise<Entry[]> {
  const rows = await sql`
    SELECT j.id, j.kind, j.delta, j.idempotency_key, jl.lot_id, l.type, l.expires_at
      FROM journal j JOIN journal_lots jl ON jl.entry_id = j.id JOIN lots l ON l.id = jl.lot_id
     WHERE j.workspace_id = ${ws} ORDER BY j.id`;
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    delta: Number(r.delta),
    key: r.idempotency_key,
    lotId: Number(r.lot_id),
    lotType: r.type,
    expiresAt: r.expires_at,
  }));
}

async function alertEvents(ws: string): Promise<{ type: string; balance: number }[]> {
  const rows = await sql`SELECT type, balance FROM alert_events WHERE workspace_id = ${ws} ORDER BY id`;
  return rows.map((r) => ({ type: r.type as string, balance: Number(r.balance) }));
}

const grantsOf = (es: Entry[]) => es.filter((e) => e.kind === 'grant');
const cycleGrant = (es: Entry[], ws: string, i: number) =>
  es.find((e) => e.kind === 'grant' && e.key === `cycle:${ws}:${i}`);

async function createWorkspace(plan: string, status: SubscriptionStatus = 'active') {
  const id = uniqueId();
  const ws = await ctx.directory.createWorkspace({ id, name: id, plan, status, billingAnchor: new Date() });
  await hooks.onWorkspaceCreated(ws);
  return { id, handle: running.client.workflow.getHandle(subscriptionWorkflowId(id)) as WorkflowHandle };
}

async function update(id: string, patch: { plan?: string; status?: SubscriptionStatus }) {
  const ws = await ctx.directory.updateWorkspace(id, patch);
  await hooks.onWorkspaceUpdated(ws, patch);
}

describe.concurrent('subscription lifecycle on the Temporal dev server', () => {
  it('runs twelve cycles: grants 980, expires the rest at each cycle end, reminds, continues as new; cancel stops it', async () => {
    const t0 = Date.now();
    const { id, handle } = await createWorkspace('solo');
    const firstRun = (await handle.describe()).runId;
    const debited = new Set<number>();
    // Spend (i + 1) × 10 credits early in cycle i, so every cycle expires a different amount.
    await eventually(
      async () => {
        const es = await entries(id);
        for (let i = 0; i < 12; i++) {
          if (cycleGrant(es, id, i) && !debited.has(i)) {
            debited.add(i);
            await ctx.ledger.debit(id, { amount: (i + 1) * 10, idempotencyKey: `use-${i}` });
          }
        }
        return (
          es.some((e) => e.kind === 'expire' && e.lotId === cycleGrant(es, id, 11)?.lotId) &&
          cycleGrant(es, id, 12)
        );
      },
      70_000,
      'twelve cycles and the start of the thirteenth',
    );
    await update(id, { status: 'canceled' });
    // The running cycle's lot stays spendable after the cancel, to its end.
    const afterCancel = await ctx.ledger.balance(id);
    expect(afterCancel.byType.subscription).toBeGreaterThan(0);
    expect(await handle.result()).toBe('canceled');
    expect((await handle.describe()).runId).not.toBe(firstRun);

    const es = await entries(id);
    for (let i = 0; i < 12; i++) {
      const g = cycleGrant(es, id, i)!;
      expect(g.delta, `cycle ${i} grant`).toBe(980);
      expect(g.lotType).toBe('subscription');
      const expired = es.filter((e) => e.kind === 'expire' && e.lotId === g.lotId);
      expect(
        expired.map((e) => e.delta),
        `cycle ${i} expiry`,
      ).toEqual([-(980 - (i + 1) * 10)]);
    }
    const grants = grantsOf(es);
    // Cycle 12 had begun when the cancel came: its lot ran to its end and expired; nothing after it.
    expect(grants).toHaveLength(13);
    const last = cycleGrant(es, id, 12)!;
    expect(es.filter((e) => e.kind === 'expire' && e.lotId === last.lotId).map((e) => e.delta)).toEqual([
      -980,
    ]);
    expect(new Set(grants.map((g) => g.key)).size).toBe(grants.length);
    expect((await ctx.ledger.balance(id)).total).toBe(0);
    const reminders = notifier.of('expiry_reminder', id);
    expect(reminders.length).toBeGreaterThanOrEqual(12);
    expect(reminders.find((r) => r.id === `expiry:${id}:0`)?.amount).toBe(970);
    expect(new Set(reminders.map((r) => r.id)).size).toBe(reminders.length);
    expect(await verifyLedger(sql, id)).toEqual([]);
    console.log(`twelve cycles of ${PERIOD} ms took ${Date.now() - t0} ms`);
  }, 90_000);

  it('applies a plan change at the next cycle, and an immediate one at once', async () => {
    const { id, handle } = await createWorkspace('solo');
    await eventually(async () => cycleGrant(await entries(id), id, 0), 10_000, 'cycle 0');
    await update(id, { plan: 'business' });
    const c1 = await eventually(async () => cycleGrant(await entries(id), id, 1), 10_000, 'cycle 1');
    expect(c1.delta).toBe(2200);
    // cycle 0 got no top-up: business applies from the next cycle
    expect(grantsOf(await entries(id)).filter((g) => g.key?.startsWith(`cycle:${id}:0`))).toHaveLength(1);
    await update(id, { plan: 'pro-now' });
    const upgrade = await eventually(
      async () => (await entries(id)).find((e) => e.key === `cycle:${id}:1:plan:pro-now`),
      10_000,
      'immediate upgrade',
    );
    expect(upgrade.delta).toBe(800);
    expect(upgrade.expiresAt?.getTime()).toBe(c1.expiresAt?.getTime());
    const c2 = await eventually(async () => cycleGrant(await entries(id), id, 2), 10_000, 'cycle 2');
    expect(c2.delta).toBe(3000);
    const state = await handle.query(subscriptionState);
    expect(state.plan).toBe('pro-now');
    await update(id, { status: 'canceled' });
    expect(await handle.result()).toBe('canceled');
    expect(await verifyLedger(sql, id)).toEqual([]);
  }, 40_000);

  it('pauses on past_due and resumes on active', async () => {
    const { id, handle } = await createWorkspace('solo');
    await eventually(async () => cycleGrant(await entries(id), id, 0), 10_000, 'cycle 0');
    await update(id, { status: 'past_due' });
    await eventually(
      async () => (await handle.query(subscriptionState)).phase === 'paused',
      10_000,
      'paused',
    );
    const paused = grantsOf(await entries(id)).length;
    await new Promise((r) => setTimeout(r, PERIOD));
    expect(grantsOf(await entries(id)).length).toBe(paused);
    expect((await ctx.ledger.balance(id)).total).toBe(0);
    await update(id, { status: 'active' });
    await eventually(async () => (await ctx.ledger.balance(id)).total === 980, 10_000, 'resumed grant');
    await update(id, { status: 'canceled' });
    expect(await handle.result()).toBe('canceled');
  }, 40_000);

  it('grants a trial once, never expiring, then cycles after an upgrade', async () => {
    const { id, handle } = await createWorkspace('trial', 'trialing');
    const trial = await eventually(async () => grantsOf(await entries(id))[0], 10_000, 'trial grant');
    expect(trial).toMatchObject({ delta: 60, lotType: 'trial', expiresAt: null, key: `trial:${id}` });
    await update(id, { status: 'active' }); // a nudge must not grant the trial again
    await new Promise((r) => setTimeout(r, PERIOD));
    expect(grantsOf(await entries(id))).toHaveLength(1);
    await update(id, { plan: 'solo' });
    await eventually(
      async () => (await ctx.ledger.balance(id)).byType.subscription === 980,
      10_000,
      'first cycle',
    );
    expect((await ctx.ledger.balance(id)).byType.trial).toBe(60);
    await update(id, { status: 'canceled' });
    expect(await handle.result()).toBe('canceled');
  }, 40_000);

  it('renews across cycles without a dip to 0: no alert events for a workspace with only subscription credits', async () => {
    const { id, handle } = await createWorkspace('solo');
    await eventually(
      async () => {
        const es = await entries(id);
        const c2 = cycleGrant(es, id, 2);
        return c2 && es.some((e) => e.kind === 'expire' && e.lotId === cycleGrant(es, id, 2 - 1)?.lotId);
      },
      20_000,
      'cycle 2 granted and cycle 1 expired',
    );
    const es = await entries(id);
    // The next cycle's grant is written before the ended cycle's expiry, every time.
    for (const i of [1, 2]) {
      const expiry = es.find((e) => e.kind === 'expire' && e.lotId === cycleGrant(es, id, i - 1)!.lotId)!;
      expect(cycleGrant(es, id, i)!.id, `cycle ${i} granted before cycle ${i - 1} expired`).toBeLessThan(
        expiry.id,
      );
    }
    const balances = await sql`SELECT balance_after FROM journal WHERE workspace_id = ${id}`;
    expect(balances.every((b) => Number(b.balance_after) > 0)).toBe(true);
    expect(await alertEvents(id)).toEqual([]);
    await update(id, { status: 'canceled' });
    expect(await handle.result()).toBe('canceled');
  }, 40_000);

  it('a spend below low alerts once, and the renewal recovers it once', async () => {
    const { id, handle } = await createWorkspace('solo');
    await eventually(async () => cycleGrant(await entries(id), id, 0), 10_000, 'cycle 0');
    await ctx.ledger.debit(id, { amount: 950, idempotencyKey: 'spend' });
    expect(await alertEvents(id)).toEqual([{ type: 'alert.low', balance: 30 }]);
    await eventually(
      async () => {
        const es = await entries(id);
        return es.some((e) => e.kind === 'expire' && e.lotId === cycleGrant(es, id, 1)?.lotId);
      },
      20_000,
      'cycle 1 expired',
    );
    expect(await alertEvents(id)).toEqual([
      { type: 'alert.low', balance: 30 },
      { type: 'alert.recovered', balance: 980 },
    ]);
    await update(id, { status: 'canceled' });
    expect(await handle.result()).toBe('canceled');
    expect(await verifyLedger(sql, id)).toEqual([]);
  }, 40_000);

  it('rolls unused credits over when the plan allows it (capped)', async () => {
    const { id, handle } = await createWorkspace('rollover');
    await eventually(async () => cycleGrant(await entries(id), id, 0), 10_000, 'cycle 0');
    await ctx.ledger.debit(id, { amount: 450, idempotencyKey: 'big' });
    const rolled = await eventually(
      async () => (await entries(id)).find((e) => e.key === `rollover:${id}:0`),
      10_000,
      'rollover of cycle 0',
    );
    expect(rolled.delta).toBe(50);
    // Cycle 1 is untouched: 500 expire, capped at 100.
    const second = await eventually(
      async () => (await entries(id)).find((e) => e.key === `rollover:${id}:1`),
      10_000,
      'rollover of cycle 1',
    );
    expect(second.delta).toBe(100);
    await update(id, { status: 'canceled' });
    expect(await handle.result()).toBe('canceled');
    expect(await verifyLedger(sql, id)).toEqual([]);
  }, 40_000);
});
