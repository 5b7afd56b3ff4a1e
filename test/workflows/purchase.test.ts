import { Context } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Purchase } from '../../application/purchases.js';
import { isCreditsError } from '../../ledger/errors.js';
import { InvoiceStore } from '../../ledger/stores/invoices.js';
import { verifyLedger } from '../../ledger/verify.js';
import { type RunningWorker, type StartWorkerOptions, startWorker } from '../../runtime/roles/worker.js';
import { purchaseActivities } from '../../workflows/purchase/activities.js';
import {
  InvoicePaymentProvider,
  PaymentDeclinedError,
  type PaymentProvider,
} from '../../workflows/purchase/payment.js';
import { TemporalPurchases } from '../../workflows/purchase/service.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { eventually, RecordingNotifier, testContext, useTemporal } from '../support/temporal.js';

const WINDOW = 2000;
const sql = useTestDatabase();
const temporal = useTemporal();
const ctx = testContext(sql);
const notifier = new RecordingNotifier();
const invoices = new InvoicePaymentProvider(new InvoiceStore(sql));
/** Declines for workspaces whose id starts with "broke". */
const payments: PaymentProvider = {
  name: 'test',
  charge: async (input) => {
    if (input.workspaceId.startsWith('broke')) throw new PaymentDeclinedError('card declined');
    return invoices.charge(input);
  },
  refund: (input) => invoices.refund(input),
};
let running: RunningWorker;

function workerOptions(taskQueue: string, extra: Partial<StartWorkerOptions> = {}): StartWorkerOptions {
  return {
    connection: temporal.env().nativeConnection,
    client: temporal.env().client,
    taskQueue,
    workflowBundle: temporal.bundle(),
    notifiers: [notifier],
    payments,
    approvalWindowMs: WINDOW,
    maintenanceEveryMs: null,
    dispatchAlerts: false,
    ...extra,
  };
}

beforeAll(async () => {
  running = await startWorker(ctx, workerOptions(uniqueId('purchases')));
});
afterAll(async () => {
  await running?.stop();
});

async function workspace(
  plan = 'solo',
  status: 'active' | 'trialing' | 'past_due' = 'active',
  prefix = 'ws',
) {
  const id = uniqueId(prefix);
  await ctx.directory.createWorkspace({ id, name: id, plan, status, billingAnchor: new Date() });
  await ctx.directory.addMember(id, { id: 'olivia', name: 'Olivia', role: 'owner' });
  await ctx.directory.addMember(id, { id: 'mia', name: 'Mia', role: 'member' });
  return id;
}

async function facts(ws: string, purchaseId: string) {
  const [inv] = await sql`SELECT count(*)::int AS n FROM invoices WHERE purchase_id = ${purchaseId}`;
  const lots =
    await sql`SELECT id, amount, expires_at FROM lots WHERE workspace_id = ${ws} AND type = 'purchased'`;
  return { invoices: inv!.n as number, lots };
}

const settled = (purchases: TemporalPurchases, id: string, status: Purchase['status']) =>
  eventually(
    async () => (await purchases.get(id)).status === status && purchases.get(id),
    15_000,
    `purchase ${status}`,
  );

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (isCreditsError(err)) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe.concurrent('purchase workflow', () => {
  it('asks approvers, refuses a non-approver, then charges once and grants the package', async () => {
    const ws = await workspace();
    const p = await running.purchases.request(ws, { package: 'small', requestedBy: 'mia', source: 'api' });
    expect(p).toMatchObject({ status: 'pending_approval', credits: 1000, price: 50, currency: 'USD' });
    await eventually(
      async () => notifier.sent.find((n) => n.id === `purchase:${p.id}:approval`),
      10_000,
      'approval request',
    );
    const denied = await refusal(running.purchases.approve(p.id, { by: 'mia' }));
    expect(denied.code).toBe('forbidden');
    const approved = await running.purchases.approve(p.id, { by: 'olivia' });
    expect(approved).toMatchObject({ status: 'approved', decidedBy: 'olivia' });
    const done = await settled(running.purchases, p.id, 'completed');
    expect(done.reason).toBeNull();
    const f = await facts(ws, p.id);
    expect(f.invoices).toBe(1);
    expect(f.lots).toHaveLength(1);
    expect(f.lots[0]).toMatchObject({ amount: 1000, expires_at: null });
    expect((await ctx.ledger.balance(ws)).byType.purchased).toBe(1000);
    await eventually(
      async () => notifier.sent.find((n) => n.id === `purchase:${p.id}:completed`),
      10_000,
      'confirmation',
    );
    expect((await refusal(running.purchases.approve(p.id, { by: 'olivia' }))).code).toBe('conflict');
  });

  it('ends with nothing charged when rejected', async () => {
    const ws = await workspace();
    const p = await running.purchases.request(ws, { package: 'medium', source: 'slack' });
    const rejected = await running.purchases.reject(p.id, { by: 'olivia', reason: 'not this month' });
    expect(rejected.status).toBe('rejected');
    expect(rejected.reason).toBe('rejected by olivia: not this month');
    expect((await running.purchases.get(p.id)).status).toBe('rejected');
    await eventually(
      async () => notifier.sent.find((n) => n.id === `purchase:${p.id}:rejected`),
      10_000,
      'update',
    );
    expect(await facts(ws, p.id)).toMatchObject({ invoices: 0, lots: [] });
  });

  it('expires when nobody answers within the approval window', async () => {
    const ws = await workspace();
    const p = await running.purchases.request(ws, { package: 'small', source: 'api' });
    const expired = await settled(running.purchases, p.id, 'expired');
    expect(expired.reason).toMatch(/no approver answered within 2 s; nothing was charged/);
    expect((await refusal(running.purchases.approve(p.id, { by: 'olivia' }))).code).toBe('conflict');
    expect(await facts(ws, p.id)).toMatchObject({ invoices: 0, lots: [] });
  });

  it('fails with the reason when the payment is declined, granting nothing', async () => {
    const ws = await workspace('solo', 'active', 'broke');
    const p = await running.purchases.request(ws, { package: 'small', source: 'api' });
    await running.purchases.approve(p.id, { by: 'olivia' });
    const failed = await settled(running.purchases, p.id, 'failed');
    expect(failed.reason).toBe('payment failed: card declined; nothing was granted');
    expect(await facts(ws, p.id)).toMatchObject({ invoices: 0, lots: [] });
  });

  it('refuses without an active paid subscription, and unknown packages', async () => {
    const trial = await workspace('trial', 'trialing');
    const t = await refusal(running.purchases.request(trial, { package: 'small', source: 'api' }));
    expect(t.code).toBe('conflict');
    expect(t.message).toMatch(/Trial plan, which is not a paid subscription/);
    const late = await workspace('solo', 'past_due');
    expect(
      (await refusal(running.purchases.request(late, { package: 'small', source: 'api' }))).message,
    ).toMatch(/subscription is past due/);
    const ws = await workspace();
    const u = await refusal(running.purchases.request(ws, { package: 'huge', source: 'api' }));
    expect(u.code).toBe('invalid_request');
    expect(u.details).toMatchObject({ fields: [{ field: 'package' }] });
  });

  it('grants a package with a validity that expires with its date', async () => {
    const ws = await workspace();
    const p = await running.purchases.request(ws, { package: 'day-pass', source: 'api' });
    await running.purchases.approve(p.id, { by: 'olivia' });
    await settled(running.purchases, p.id, 'completed');
    const { lots } = await facts(ws, p.id);
    const expiresIn = (lots[0]!.expires_at as Date).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(23 * 3600_000);
    expect(expiresIn).toBeLessThanOrEqual(24 * 3600_000);
  });

  it('neither charges nor grants twice when workers die after the charge and after the grant', async () => {
    const taskQueue = uniqueId('crash');
    const real = purchaseActivities(
      {
        ledger: ctx.ledger,
        reports: ctx.reports,
        directory: ctx.directory,
        catalog: ctx.catalog,
        timing: running.timing,
      },
      payments,
    );
    const calls = { charge: 0, grant: 0 };
    let reached: (() => void) | null = null;
    // Do the real side effect, then hang like a worker that dies before reporting it.
    const thenDie =
      <A extends unknown[], R>(fn: (...a: A) => Promise<R>, name: 'charge' | 'grant') =>
      async (...args: A): Promise<R> => {
        await fn(...args);
        calls[name]++;
        reached?.();
        await Context.current().cancelled;
        throw new Error('unreachable');
      };
    const count =
      <A extends unknown[], R>(fn: (...a: A) => Promise<R>, name: 'charge' | 'grant') =>
      async (...args: A): Promise<R> => {
        calls[name]++;
        return fn(...args);
      };
    const purchases = new TemporalPurchases({
      client: temporal.env().client,
      taskQueue,
      purchases: ctx.ledger.purchases,
      catalog: ctx.catalog,
      directory: ctx.directory,
    });
    const generation = async (overrides: Partial<typeof real>) => {
      const atStep = new Promise<void>((r) => {
        reached = r;
      });
      const w = await startWorker(ctx, workerOptions(taskQueue, { activityOverrides: overrides }));
      return { w, atStep };
    };
    const ws = await workspace();

    const first = await generation({ chargePurchase: thenDie(real.chargePurchase, 'charge') });
    const p = await purchases.request(ws, { package: 'large', source: 'api', requestedBy: 'olivia' });
    await purchases.approve(p.id, { by: 'olivia' });
    await first.atStep;
    expect((await facts(ws, p.id)).invoices).toBe(1);
    await first.w.stop(); // killed after charging, before reporting it

    const second = await generation({
      chargePurchase: count(real.chargePurchase, 'charge'),
      grantPurchase: thenDie(real.grantPurchase, 'grant'),
    });
    await second.atStep;
    expect((await facts(ws, p.id)).lots).toHaveLength(1);
    await second.w.stop(); // killed after granting, before reporting it

    const third = await startWorker(
      ctx,
      workerOptions(taskQueue, { activityOverrides: { grantPurchase: count(real.grantPurchase, 'grant') } }),
    );
    try {
      const done = await settled(purchases, p.id, 'completed');
      expect(done.status).toBe('completed');
    } finally {
      await third.stop();
    }
    expect(calls).toEqual({ charge: 2, grant: 2 });
    const f = await facts(ws, p.id);
    expect(f.invoices).toBe(1);
    expect(f.lots).toHaveLength(1);
    expect((await ctx.ledger.balance(ws)).byType.purchased).toBe(10_000);
    const grants =
      await sql`SELECT count(*)::int AS n FROM journal WHERE workspace_id = ${ws} AND kind = 'grant'`;
    expect(grants[0]!.n).toBe(1);
    expect(await verifyLedger(sql, ws)).toEqual([]);
  }, 60_000);
});
