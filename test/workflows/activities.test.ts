import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Notification } from '../../application/notifications.js';
import type { Purchase } from '../../application/purchases.js';
import { WebhookDeliveryError } from '../../integrations/webhook/sender.js';
import { systemKey } from '../../ledger/ledger.js';
import { InvoiceStore } from '../../ledger/stores/invoices.js';
import { PurchaseStore } from '../../ledger/stores/purchases.js';
import { verifyLedger } from '../../ledger/verify.js';
import { autoTopUpActivities } from '../../workflows/auto-top-up/activities.js';
import type { ActivityDeps } from '../../workflows/deps.js';
import { notifyActivities } from '../../workflows/notify/activities.js';
import { purchaseActivities } from '../../workflows/purchase/activities.js';
import { InvoicePaymentProvider, PaymentDeclinedError } from '../../workflows/purchase/payment.js';
import type { TemporalPurchases } from '../../workflows/purchase/service.js';
import { subscriptionActivities } from '../../workflows/subscription/activities.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { quietRuntime, RecordingNotifier, testContext } from '../support/temporal.js';

const PERIOD = 60_000;
const sql = useTestDatabase();
const ctx = testContext(sql, { cyclePeriodMs: PERIOD });
const deps: ActivityDeps = {
  ledger: ctx.ledger,
  reports: ctx.reports,
  directory: ctx.directory,
  catalog: ctx.catalog,
  timing: { periodMs: PERIOD, reminderBeforeMs: 10_000, cyclesPerRun: 12 },
};
let env: MockActivityEnvironment;

beforeAll(() => {
  quietRuntime();
  env = new MockActivityEnvironment();
});

/** Runs an activity function in the mock activity context (typed). */
function run<A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> {
  return env.run(fn as (...a: unknown[]) => Promise<R>, ...args);
}

async function workspace(plan = 'solo', anchor = new Date()) {
  const id = uniqueId();
  await ctx.directory.createWorkspace({ id, name: id, plan, status: 'active', billingAnchor: anchor });
  return id;
}

const count = async (ws: string, kind: string) =>
  (await sql`SELECT count(*)::int AS n FROM journal WHERE workspace_id = ${ws} AND kind = ${kind}`)[0]!
    .n as number;

async function failure(p: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApplicationFailure) return err;
    throw err;
  }
  throw new Error('expected an ApplicationFailure');
}

describe('subscription activities (MockActivityEnvironment)', () => {
  const acts = subscriptionActivities(deps);

  it('beginCycle grants once per (workspace, cycle), even after a plan change between attempts', async () => {
    const ws = await workspace('solo', new Date(Date.now() - 1000));
    const first = await run(acts.beginCycle, { workspaceId: ws });
    expect(first).toMatchObject({ index: 0, plan: 'solo', granted: 980 });
    expect(Date.parse(first.end) - Date.parse(first.start)).toBe(PERIOD);
    expect(first.reminderAt).toBe(new Date(Date.parse(first.end) - 10_000).toISOString());
    await ctx.directory.updateWorkspace(ws, { plan: 'business' });
    const again = await run(acts.beginCycle, { workspaceId: ws });
    expect(again.lotIds).toEqual(first.lotIds);
    expect(again.granted).toBe(980);
    expect(await count(ws, 'grant')).toBe(1);
  });

  it('beginCycle never goes back a cycle when the workflow is ahead', async () => {
    const ws = await workspace('solo', new Date(Date.now() - 1000));
    const c = await run(acts.beginCycle, { workspaceId: ws, minIndex: 1 });
    expect(c.index).toBe(1);
  });

  it('grantTrial grants once', async () => {
    const ws = await workspace('trial');
    expect(await run(acts.grantTrial, ws)).toEqual({ granted: 60, replayed: false });
    expect(await run(acts.grantTrial, ws)).toEqual({ granted: 60, replayed: true });
    expect(await count(ws, 'grant')).toBe(1);
  });

  it('applyPlanChange tops up only for immediate plans, once', async () => {
    const ws = await workspace('solo', new Date(Date.now() - 1000));
    const cycle = await run(acts.beginCycle, { workspaceId: ws });
    await ctx.directory.updateWorkspace(ws, { plan: 'business' });
    expect(await run(acts.applyPlanChange, { workspaceId: ws, cycle })).toEqual(cycle);
    await ctx.directory.updateWorkspace(ws, { plan: 'pro-now' });
    const up = await run(acts.applyPlanChange, { workspaceId: ws, cycle });
    expect(up).toMatchObject({ plan: 'pro-now', granted: 3000 });
    const again = await run(acts.applyPlanChange, { workspaceId: ws, cycle });
    expect(again.lotIds).toEqual(up.lotIds);
    expect(await count(ws, 'grant')).toBe(2);
  });

  it('expiryReminder tells what is left of the cycle, with a stable id', async () => {
    const ws = await workspace('solo', new Date(Date.now() - 1000));
    const cycle = await run(acts.beginCycle, { workspaceId: ws });
    await ctx.ledger.debit(ws, { amount: 568, idempotencyKey: 'x' });
    const n = await run(acts.expiryReminder, { workspaceId: ws, cycle });
    expect(n).toMatchObject({
      kind: 'expiry_reminder',
      id: `expiry:${ws}:0`,
      amount: 412,
      lotType: 'subscription',
    });
    await ctx.ledger.debit(ws, { amount: 412, idempotencyKey: 'y' });
    expect(await run(acts.expiryReminder, { workspaceId: ws, cycle })).toBeNull();
  });

  /** A workspace whose cycle 0 (granted `amount` as the workflow would have) ended just now. */
  async function endedCycle(plan: string, amount: number) {
    const start = new Date(Date.now() - PERIOD - 1000);
    const ws = await workspace(plan, start);
    const end = new Date(start.getTime() + PERIOD);
    const granted = await ctx.ledger.grant(ws, {
      type: 'subscription',
      amount,
      expiresAt: new Date(Date.now() + 200),
      reason: 'cycle 0',
      idempotencyKey: systemKey('cycle', ws, 0),
    });
    await new Promise((r) => setTimeout(r, 300));
    const cycle = {
      index: 0,
      start: start.toISOString(),
      end: end.toISOString(),
      plan,
      granted: amount,
      lotIds: [granted.lot.id],
      reminderAt: null,
    };
    return { ws, cycle };
  }

  it('renewCycle grants the next cycle, rolls over, then expires, once each', async () => {
    const { ws, cycle } = await endedCycle('rollover', 500);
    const first = await run(acts.renewCycle, { workspaceId: ws, cycle });
    expect(first).toMatchObject({ expired: 500, rolledOver: 100, status: 'active', plan: 'rollover' });
    expect(first.next).toMatchObject({ index: 1, plan: 'rollover', granted: 500 });
    const again = await run(acts.renewCycle, { workspaceId: ws, cycle });
    expect(again).toEqual(first);
    expect(await count(ws, 'expire')).toBe(1);
    expect(await count(ws, 'grant')).toBe(3);
    // Grants first, expiry last: the balance never went through 0, so no alert was recorded.
    const kinds = await sql`SELECT kind, balance_after FROM journal WHERE workspace_id = ${ws} ORDER BY id`;
    expect(kinds.map((k) => [k.kind, Number(k.balance_after)])).toEqual([
      ['grant', 500],
      ['grant', 500],
      ['grant', 600],
      ['expire', 600],
    ]);
    expect(await sql`SELECT type FROM alert_events WHERE workspace_id = ${ws}`).toEqual([]);
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });

  it('renewCycle only expires when the workspace does not continue', async () => {
    const { ws, cycle } = await endedCycle('rollover', 500);
    await ctx.directory.updateWorkspace(ws, { status: 'past_due' });
    const r = await run(acts.renewCycle, { workspaceId: ws, cycle });
    expect(r).toMatchObject({ expired: 500, rolledOver: 0, next: null, status: 'past_due' });
    expect(await count(ws, 'grant')).toBe(1);
    const other = await endedCycle('solo', 980);
    await ctx.directory.updateWorkspace(other.ws, { status: 'canceled' });
    expect((await run(acts.renewCycle, { workspaceId: other.ws, cycle: other.cycle })).next).toBeNull();
    expect(await count(other.ws, 'grant')).toBe(1);
  });

  it('an unknown plan fails for good instead of retrying', async () => {
    const ws = await workspace();
    await sql`UPDATE workspaces SET plan = 'gone' WHERE id = ${ws}`;
    const f = await failure(run(acts.subscriptionSnapshot, ws));
    expect(f.nonRetryable).toBe(true);
    expect(f.type).toBe('UnknownPlan');
  });
});

describe('purchase activities (MockActivityEnvironment)', () => {
  const declining = {
    name: 'declining',
    charge: async () => {
      throw new PaymentDeclinedError('card declined');
    },
    refund: async () => {
      throw new Error('not refundable');
    },
  };

  async function purchase(ws: string, terms: Partial<Purchase> = {}): Promise<Purchase> {
    await ctx.directory.addMember(ws, { id: 'olivia', name: 'Olivia', role: 'owner' });
    const view: Purchase = {
      id: uniqueId('purchase'),
      workspaceId: ws,
      package: 'small',
      packageName: 'Small',
      credits: 1000,
      price: 50,
      currency: 'USD',
      status: 'approved',
      requestedBy: null,
      source: 'api',
      decidedBy: 'olivia',
      reason: null,
      createdAt: new Date().toISOString(),
      approvalDeadline: null,
      automatic: false,
      ...terms,
    };
    await new PurchaseStore(sql).insert(view, null);
    return view;
  }

  it('a repeated charge finds the first invoice; a repeated grant the first lot', async () => {
    const acts = purchaseActivities(deps, new InvoicePaymentProvider(new InvoiceStore(sql)));
    const ws = await workspace();
    const p = await purchase(ws);
    const a = await run(acts.chargePurchase, p);
    const b = await run(acts.chargePurchase, p);
    expect(b.paymentId).toBe(a.paymentId);
    const [inv] =
      await sql`SELECT count(*)::int AS n, min(amount)::float8 AS amount FROM invoices WHERE purchase_id = ${p.id}`;
    expect(inv).toEqual({ n: 1, amount: 50 });
    await run(acts.recordPurchase, { ...p, status: 'paid' }, { paymentId: a.paymentId });
    const g1 = await run(acts.grantPurchase, { view: p, expiresAt: null });
    const g2 = await run(acts.grantPurchase, { view: p, expiresAt: null });
    expect(g2).toEqual({ lotId: g1.lotId, replayed: true });
    await run(
      acts.recordPurchase,
      { ...p, status: 'completed' },
      { paymentId: a.paymentId, lotId: g1.lotId },
    );
    const [row] = await sql`SELECT status, payment_id, lot_id FROM purchases WHERE id = ${p.id}`;
    expect(row).toEqual({ status: 'completed', payment_id: a.paymentId, lot_id: Number(g1.lotId) });
  });

  it('charge and grant read the stored terms and re-check the approver, whatever the view says', async () => {
    const acts = purchaseActivities(deps, new InvoicePaymentProvider(new InvoiceStore(sql)));
    const ws = await workspace();
    // The view a forged run would carry: huge credits, no price. Only its id is read.
    const p = await purchase(ws);
    const forged = { ...p, credits: 1e12, price: 0 };
    expect(await failure(run(acts.grantPurchase, { view: forged, expiresAt: null }))).toMatchObject({
      nonRetryable: true,
      type: 'NotPaid',
    });
    const { paymentId } = await run(acts.chargePurchase, forged);
    const [inv] = await sql`SELECT amount::float8 AS amount FROM invoices WHERE purchase_id = ${p.id}`;
    expect(inv!.amount).toBe(50);
    await run(acts.recordPurchase, { ...p, status: 'paid' }, { paymentId });
    const lot = await run(acts.grantPurchase, { view: forged, expiresAt: null });
    const [granted] = await sql`SELECT amount::int AS amount FROM lots WHERE id = ${lot.lotId}`;
    expect(granted!.amount).toBe(1000);

    // Decided by someone who is not (or no longer) an owner or admin: nothing is charged.
    const byMember = await purchase(ws, { decidedBy: 'mallory' });
    expect(await failure(run(acts.chargePurchase, byMember))).toMatchObject({ type: 'NotApproved' });
    await ctx.directory.addMember(ws, { id: 'ada', name: 'Ada', role: 'admin' });
    const byAdmin = await purchase(ws, { decidedBy: 'ada' });
    await ctx.directory.addMember(ws, { id: 'ada', name: 'Ada', role: 'member' });
    expect(await failure(run(acts.chargePurchase, byAdmin))).toMatchObject({ type: 'NotApproved' });
    const store = new PurchaseStore(sql);
    const decision = async (by: string, approved = true) => ({
      purchaseId: byAdmin.id,
      by,
      approved,
      ticket: await store.recordDecision({ purchaseId: byAdmin.id, by, approved }),
    });
    // A recorded decision by someone who has lost the role since.
    expect(await failure(run(acts.confirmApprover, await decision('ada')))).toMatchObject({
      type: 'NotApprover',
    });
    expect(await run(acts.confirmApprover, await decision('olivia'))).toBe('olivia');
    // Naming a real owner is not enough: the decision must be the application's (its ticket).
    const owner = await decision('olivia');
    for (const forged of [
      { ...owner, ticket: undefined },
      { ...owner, ticket: 'dec_made_up' },
      { ...owner, approved: false },
      { ...owner, by: 'olivia2' },
      { ...(await decision('olivia')), purchaseId: byMember.id },
    ]) {
      expect(await failure(run(acts.confirmApprover, forged)), JSON.stringify(forged)).toMatchObject({
        type: 'NotApprover',
      });
    }

    // A stored row whose terms are not the catalog's is refused.
    const tampered = await purchase(ws, { credits: 999_999_999, price: 0 });
    expect(await failure(run(acts.chargePurchase, tampered))).toMatchObject({ type: 'TermsRefused' });
    expect(await run(acts.loadPurchase, { purchaseId: tampered.id, workflowId: tampered.id })).toMatchObject({
      ok: false,
    });
    const never = { purchaseId: 'purchase-never-requested', workflowId: 'purchase-never-requested' };
    expect(await run(acts.loadPurchase, never)).toMatchObject({ ok: false, purchase: null });
    const elsewhere = { purchaseId: byMember.id, workflowId: 'someone-else' };
    expect(await run(acts.loadPurchase, elsewhere)).toMatchObject({ ok: false, purchase: null });
    expect(await run(acts.loadPurchase, { purchaseId: byMember.id, workflowId: byMember.id })).toMatchObject({
      ok: true,
      validityDays: null,
    });
    const [n] = await sql`SELECT count(*)::int AS n FROM invoices WHERE workspace_id = ${ws}`;
    expect(n!.n).toBe(1);
  });

  it('a declined payment is a non-retryable failure', async () => {
    const acts = purchaseActivities(deps, declining);
    const f = await failure(run(acts.chargePurchase, await purchase(await workspace())));
    expect(f).toMatchObject({ nonRetryable: true, type: 'PaymentDeclined', message: 'card declined' });
  });
});

describe('notify and auto top-up activities (MockActivityEnvironment)', () => {
  const alert: Notification = {
    kind: 'alert',
    id: 'evt_1',
    workspaceId: 'acme',
    type: 'alert.low',
    level: 'low',
    threshold: 100,
    balance: 42,
    occurredAt: new Date().toISOString(),
  };

  it('delivers through the named notifier only; a refusal is not retried', async () => {
    const a = new RecordingNotifier('a');
    const b = new RecordingNotifier('b');
    const refusing = {
      name: 'refusing',
      send: async () => {
        throw new WebhookDeliveryError('receiver answered 400', false, 400);
      },
    };
    const acts = notifyActivities([a, b, refusing]);
    expect(await run(acts.notifierNames, 'acme')).toEqual(['a', 'b', 'refusing']);
    await run(acts.deliver, 'b', alert);
    expect(a.sent).toEqual([]);
    expect(b.sent).toEqual([alert]);
    expect(await failure(run(acts.deliver, 'refusing', alert))).toMatchObject({ nonRetryable: true });
    await run(acts.deliver, 'gone', alert); // unregistered since: nothing to do
    expect(() => notifyActivities([a, new RecordingNotifier('a')])).toThrow(/unique/);
  });

  it('auto top-up checks the policy, the balance, the budget and what is in flight', async () => {
    const requests: unknown[] = [];
    const fake = {
      tryRequest: async (_ws: string, req: { automatic?: boolean }) => {
        requests.push(req);
        return { id: 'p1' } as Purchase;
      },
    } as unknown as TemporalPurchases;
    const acts = autoTopUpActivities(deps, fake);
    const ws = await workspace();
    expect(await run(acts.checkAutoTopUp, { workspaceId: ws, trigger: 't' })).toMatchObject({
      skipped: 'no enabled auto top-up policy',
    });
    await ctx.directory.updateWorkspace(ws, {
      settings: { autoTopUp: { enabled: true, below: 100, package: 'small', monthlyBudget: 120 } },
    });
    await ctx.ledger.grant(ws, { type: 'promotional', amount: 150, reason: 'x', idempotencyKey: 'g' });
    expect((await run(acts.checkAutoTopUp, { workspaceId: ws, trigger: 't' })).skipped).toMatch(
      /not below 100/,
    );
    await ctx.ledger.debit(ws, { amount: 100, idempotencyKey: 'd' });
    expect(await run(acts.checkAutoTopUp, { workspaceId: ws, trigger: 't' })).toEqual({
      started: { id: 'p1', automatic: true, price: 50 },
    });
    // Two automatic top-ups already this month ($100): a third ($50) exceeds the $120 budget.
    for (const status of ['completed', 'completed'] as const) {
      const id = uniqueId('p');
      await sql`INSERT INTO purchases (id, workspace_id, package, package_name, credits, price, currency, status, source, automatic)
                VALUES (${id}, ${ws}, 'small', 'Small', 1000, 50, 'USD', ${status}, 'auto_top_up', true)`;
    }
    expect((await run(acts.checkAutoTopUp, { workspaceId: ws, trigger: 't' })).started?.automatic).toBe(
      false,
    );
    await sql`INSERT INTO purchases (id, workspace_id, package, package_name, credits, price, currency, status, source, automatic)
              VALUES (${uniqueId('p')}, ${ws}, 'small', 'Small', 1000, 50, 'USD', 'pending_approval', 'auto_top_up', false)`;
    expect(await run(acts.checkAutoTopUp, { workspaceId: ws, trigger: 't' })).toMatchObject({
      skipped: 'an auto top-up is already in flight',
    });
    expect(requests).toHaveLength(2);
  });
});
