import { randomBytes } from 'node:crypto';
import { Context } from '@temporalio/activity';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Purchase } from '../../application/purchases.js';
import { createApp } from '../../integrations/api/app.js';
import { verifyLedger } from '../../ledger/verify.js';
import { type RunningWorker, type StartWorkerOptions, startWorker } from '../../runtime/roles/worker.js';
import { purchaseActivities } from '../../workflows/purchase/activities.js';
import { paymentSettled } from '../../workflows/purchase/definitions.js';
import { TemporalPurchases } from '../../workflows/purchase/service.js';
import { StripePaymentProvider } from '../../workflows/purchase/stripe.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { type RunningStripeMock, startStripeMock } from '../support/stripe-mock.js';
import { type Shape, type StripeShaper, startStripeShaper } from '../support/stripe-shaper.js';
import { eventually, RecordingNotifier, testContext, useTemporal } from '../support/temporal.js';

const sql = useTestDatabase();
const temporal = useTemporal();
const ctx = testContext(sql);
const notifier = new RecordingNotifier();
const secret = `whsec_${randomBytes(16).toString('hex')}`;
const released = new Map<string, () => void>();
const arrived = new Map<string, () => void>();

/** What Stripe does with the off-session PaymentIntent, by the workspace's name. */
function shapeFor(request: { form: URLSearchParams }, attempt: number): Shape {
  const ws = request.form.get('metadata[workspace_id]') ?? '';
  const purchase = request.form.get('metadata[purchase_id]') ?? '';
  if (ws.startsWith('card') || ws.startsWith('crash')) return { kind: 'succeed' };
  if (ws.startsWith('decline'))
    return {
      kind: 'decline',
      declineCode: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    };
  // The first answer comes after the provider's 1 s timeout; the retry's in time.
  if (ws.startsWith('slow'))
    return attempt === 1 ? { kind: 'delay', ms: 2500, after: 'succeed' } : { kind: 'succeed' };
  if (ws.startsWith('early')) {
    arrived.get(purchase)?.();
    return { kind: 'hold', until: new Promise<void>((r) => released.set(purchase, r)), after: 'succeed' };
  }
  return { kind: 'as-is' }; // stripe-mock's fixture: the card needs the customer
}

let mock: RunningStripeMock;
let shaper: StripeShaper;
let running: RunningWorker;
let payments: StripePaymentProvider;
let api: ReturnType<typeof createApp>;

function workerOptions(taskQueue: string, extra: Partial<StartWorkerOptions> = {}): StartWorkerOptions {
  return {
    connection: temporal.env().nativeConnection,
    client: temporal.env().client,
    taskQueue,
    workflowBundle: temporal.bundle(),
    notifiers: [notifier],
    payments,
    approvalWindowMs: 30_000,
    maintenanceEveryMs: null,
    dispatchAlerts: false,
    ...extra,
  };
}

beforeAll(async () => {
  mock = await startStripeMock(); // built with Go into .tools/bin on the first run
  shaper = await startStripeShaper(mock.base, shapeFor);
  payments = new StripePaymentProvider(
    { STRIPE_SECRET_KEY: 'sk_test_credits', STRIPE_API_BASE: shaper.base, STRIPE_TIMEOUT_MS: 1000 },
    ctx.ledger.payments,
  );
  running = await startWorker(ctx, workerOptions(uniqueId('stripe')));
  api = createApp({ ...ctx, stripeWebhookSecret: secret, purchases: running.purchases });
}, 600_000);
afterAll(async () => {
  await running?.stop();
  await shaper?.close();
  await mock?.stop();
});

async function workspace(prefix: string) {
  const id = uniqueId(prefix);
  await ctx.directory.createWorkspace({
    id,
    name: id,
    plan: 'solo',
    status: 'active',
    billingAnchor: new Date(),
  });
  await ctx.directory.addMember(id, { id: 'olivia', name: 'Olivia', role: 'owner' });
  await ctx.directory.updateWorkspace(id, { stripeCustomerId: 'cus_credits' });
  return id;
}

async function buy(ws: string, purchases = running.purchases) {
  const p = await purchases.request(ws, { package: 'small', requestedBy: 'olivia', source: 'api' });
  await purchases.approve(p.id, { by: 'olivia' });
  return p;
}

const settled = (id: string, status: Purchase['status'], purchases = running.purchases) =>
  eventually(
    async () => (await purchases.get(id)).status === status && purchases.get(id),
    20_000,
    `purchase ${status}`,
  );

async function facts(ws: string, purchaseId: string) {
  const lots = await sql`SELECT amount FROM lots WHERE workspace_id = ${ws} AND type = 'purchased'`;
  const grants =
    await sql`SELECT count(*)::int AS n FROM journal WHERE workspace_id = ${ws} AND kind = 'grant'`;
  const [payment] = await sql`SELECT payment_id, status FROM payments WHERE purchase_id = ${purchaseId}`;
  const [purchase] = await sql`SELECT payment_id FROM purchases WHERE id = ${purchaseId}`;
  const keys = new Set(shaper.intentsOf(purchaseId).map((r) => r.idempotencyKey));
  return {
    lots: lots.map((l) => Number(l.amount)),
    grants: grants[0]!.n as number,
    payment: payment ?? null,
    purchasePaymentId: purchase!.payment_id as string | null,
    intentKeys: [...keys],
  };
}

async function webhook(type: string, object: Record<string, unknown>) {
  const payload = JSON.stringify({
    id: `evt_${randomBytes(8).toString('hex')}`,
    object: 'event',
    type,
    data: { object },
  });
  const res = await api.request('/webhooks/stripe', {
    method: 'POST',
    body: payload,
    headers: { 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }) },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe.concurrent('purchases charged through Stripe (stripe-mock, real Temporal dev server)', () => {
  it('a card that succeeds: one off-session PaymentIntent, keyed and tagged with the purchase, then the grant', async () => {
    const ws = await workspace('card');
    const p = await buy(ws);
    await settled(p.id, 'completed');
    const [intent] = shaper.intentsOf(p.id);
    expect(intent!.form.get('off_session')).toBe('true');
    expect(intent!.form.get('confirm')).toBe('true');
    expect(intent!.form.get('amount')).toBe('5000');
    expect(intent!.form.get('customer')).toBe('cus_credits');
    const f = await facts(ws, p.id);
    expect(f).toMatchObject({ lots: [1000], grants: 1, intentKeys: [`purchase:${p.id}:intent`] });
    expect(f.payment).toMatchObject({ status: 'succeeded' });
    expect(f.purchasePaymentId).toBe(f.payment!.payment_id);
  });

  it('requires_action: the approver gets the Stripe page, the purchase waits, the signed webhook completes it', async () => {
    const ws = await workspace('sca');
    const p = await buy(ws);
    const waiting = await settled(p.id, 'awaiting_payment');
    expect(waiting.reason).toMatch(/pay on the payment page https:\/\/checkout\.stripe\.com\/\S+ by/);
    const told = await eventually(
      async () => notifier.sent.find((n) => n.id === `purchase:${p.id}:awaiting_payment`),
      10_000,
      'payment page in chat',
    );
    expect(JSON.stringify(told)).toContain('https://checkout.stripe.com/');
    const checkout = shaper.requests.find(
      (r) => r.path === '/v1/checkout/sessions' && r.form.get('metadata[purchase_id]') === p.id,
    );
    expect(checkout!.idempotencyKey).toBe(`purchase:${p.id}:checkout`);
    expect((await facts(ws, p.id)).lots).toEqual([]);
    // A side door: whoever can reach Temporal signals "settled" without Stripe having said so.
    await temporal.env().client.workflow.getHandle(p.id).signal(paymentSettled);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await running.purchases.get(p.id)).status).toBe('awaiting_payment');
    expect((await facts(ws, p.id)).lots).toEqual([]);

    const reply = await webhook('checkout.session.completed', {
      id: 'cs_test_sca',
      object: 'checkout.session',
      amount_total: 5000,
      currency: 'usd',
      payment_status: 'paid',
      payment_intent: `pi_sca_${p.id}`,
      metadata: { purchase_id: p.id },
    });
    expect(reply).toMatchObject({ status: 200, body: { handled: true, status: 'succeeded' } });
    await settled(p.id, 'completed');
    expect(await facts(ws, p.id)).toMatchObject({
      lots: [1000],
      grants: 1,
      purchasePaymentId: `pi_sca_${p.id}`,
    });
  });

  it('a decline fails the purchase with Stripe’s reason in the channel, granting nothing', async () => {
    const ws = await workspace('decline');
    const p = await buy(ws);
    const failed = await settled(p.id, 'failed');
    expect(failed.reason).toBe(
      'payment failed: Stripe declined the card: Your card has insufficient funds. (insufficient_funds); nothing was granted',
    );
    const told = await eventually(
      async () => notifier.sent.find((n) => n.id === `purchase:${p.id}:failed`),
      10_000,
      'failure in chat',
    );
    expect(JSON.stringify(told)).toContain('insufficient_funds');
    expect(await facts(ws, p.id)).toMatchObject({ lots: [], grants: 0 });
  });

  it('a timeout is retried with the same idempotency key: Stripe is asked twice, the card charged once', async () => {
    const ws = await workspace('slow');
    const p = await buy(ws);
    await settled(p.id, 'completed');
    expect(shaper.intentsOf(p.id).length).toBeGreaterThanOrEqual(2);
    expect(await facts(ws, p.id)).toMatchObject({
      lots: [1000],
      grants: 1,
      intentKeys: [`purchase:${p.id}:intent`],
    });
  });

  it('the webhook arriving before the synchronous answer grants once; the answer is a no-op', async () => {
    const ws = await workspace('early');
    const purchase = await running.purchases.request(ws, {
      package: 'small',
      requestedBy: 'olivia',
      source: 'api',
    });
    const atStripe = new Promise<void>((r) => arrived.set(purchase.id, r));
    await running.purchases.approve(purchase.id, { by: 'olivia' });
    await atStripe; // Stripe has the PaymentIntent; its answer is held back
    const reply = await webhook('payment_intent.succeeded', {
      id: `pi_early_${purchase.id}`,
      object: 'payment_intent',
      amount: 5000,
      amount_received: 5000,
      currency: 'usd',
      status: 'succeeded',
      metadata: { purchase_id: purchase.id, workspace_id: ws },
    });
    expect(reply).toMatchObject({ status: 200, body: { handled: true, status: 'succeeded' } });
    released.get(purchase.id)!();
    await settled(purchase.id, 'completed');
    expect(await facts(ws, purchase.id)).toMatchObject({
      lots: [1000],
      grants: 1,
      purchasePaymentId: `pi_early_${purchase.id}`,
      intentKeys: [`purchase:${purchase.id}:intent`],
    });
  });

  it('a worker crash between the charge and the grant: one charge, one grant', async () => {
    const taskQueue = uniqueId('stripe-crash');
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
    let charged: () => void = () => {};
    const atCharge = new Promise<void>((r) => {
      charged = r;
    });
    const first = await startWorker(
      ctx,
      workerOptions(taskQueue, {
        activityOverrides: {
          // Charge for real, then hang like a worker that dies before reporting it.
          chargePurchase: async (view) => {
            await real.chargePurchase(view);
            charged();
            await Context.current().cancelled;
            throw new Error('unreachable');
          },
        },
      }),
    );
    const purchases = new TemporalPurchases({
      client: temporal.env().client,
      taskQueue,
      purchases: ctx.ledger.purchases,
      catalog: ctx.catalog,
      directory: ctx.directory,
    });
    const ws = await workspace('crash');
    const p = await buy(ws, purchases);
    await atCharge;
    await first.stop(); // killed after Stripe charged, before the grant
    const second = await startWorker(ctx, workerOptions(taskQueue));
    try {
      await settled(p.id, 'completed', purchases);
    } finally {
      await second.stop();
    }
    const f = await facts(ws, p.id);
    expect(f).toMatchObject({ lots: [1000], grants: 1, intentKeys: [`purchase:${p.id}:intent`] });
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });
});
